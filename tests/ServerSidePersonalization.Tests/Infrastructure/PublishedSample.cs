using System.Collections.Concurrent;
using System.Diagnostics;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// The Storefront sample as a real process: published once per test run (from the solution build, <c>--no-build</c>),
/// started with <c>dotnet Storefront.dll</c> and configured by environment variables only, on a free loopback port read
/// from its "Now listening on:" line. <see cref="KillAsync()"/> is SIGKILL: no shutdown, no drain. Disposing kills what is left.
/// </summary>
internal sealed class PublishedSample : IAsyncDisposable
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private PublishedSample(Process process, ConcurrentQueue<string> output, Uri url)
    {
        _process = process;
        _output = output;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Everything the process wrote so far, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public static Task<PublishedSample> StartAsync(IReadOnlyDictionary<string, string> environment) =>
        StartAsync(environment, Published.Value);

    /// <summary>Starts a Storefront published elsewhere (<see cref="PackagedSample"/>: the sample built from the packages).</summary>
    public static async Task<PublishedSample> StartAsync(IReadOnlyDictionary<string, string> environment, Task<string> published)
    {
        var info = StartInfo(await published, environment);

        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            output.Enqueue(line);
            if (line.Split("Now listening on:", 2) is [_, var address])
            {
                listening.TrySetResult(new Uri(address.Trim()));
            }
        };
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The sample exited before listening:\n" + string.Join('\n', output)));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // A real process starts in real time (slower while other tests build): bounded.
            var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new PublishedSample(process, output, url);
        }
        catch
        {
            await KillAsync(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the sample until it exits by itself (a start-up that fails), bounded: its exit code and everything it wrote.
    /// Fails the test when it is still running after the bound (it started instead).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(IReadOnlyDictionary<string, string> environment)
    {
        using var process = Process.Start(StartInfo(await Published.Value, environment))
            ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            // A real process starts (and fails) in real time, slower while other tests build: bounded.
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            await KillAsync(process);
            throw new InvalidOperationException("The sample did not exit by itself:\n" + await output);
        }

        return (process.ExitCode, await output + "\n" + await error);
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public Task KillAsync() => KillAsync(_process);

    public async ValueTask DisposeAsync()
    {
        await KillAsync(_process);
        _process.Dispose();
    }

    private static async Task KillAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    private static async Task<string> PublishAsync()
    {
        var output = Directory.CreateTempSubdirectory("ssp-storefront-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(output, recursive: true);
        await Dotnet.RunAsync(Dotnet.RepositoryRoot, "publish", Path.Combine(Dotnet.RepositoryRoot, "samples", "Storefront"), "-c", "Release", "--no-build", "-o", output);
        return output;
    }

    private static ProcessStartInfo StartInfo(string directory, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(directory, "Storefront.dll") },
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }
}
