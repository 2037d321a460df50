using System.Diagnostics;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>The <c>dotnet</c> command line, run as a real process from the tests (publish, pack, restore).</summary>
internal static class Dotnet
{
    /// <summary>The repository's root: the directory holding Middleware.sln above the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="directory"/>; throws with its output when it fails.</summary>
    public static async Task<string> RunAsync(string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"dotnet {string.Join(' ', arguments)} failed ({process.ExitCode}) in {directory}:\n{await stdout}\n{await stderr}");
        }

        return await stdout;
    }

    private static string FindRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Middleware.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Middleware.sln not found above the test assembly.");
        }

        return root;
    }
}
