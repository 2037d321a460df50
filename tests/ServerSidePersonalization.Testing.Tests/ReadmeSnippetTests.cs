using System.Text.RegularExpressions;

namespace ServerSidePersonalization.Testing.Tests;

/// <summary>The code in the README's sections on the two test-facing packages is code that a test project compiles.</summary>
public sealed partial class ReadmeSnippetTests
{
    [Theory]
    [InlineData("## Testing your site", "csharp", "tests/ServerSidePersonalization.Testing.Tests/HomePageTests.cs")]
    [InlineData("## Feature Management", "csharp", "tests/ServerSidePersonalization.FeatureManagement.Tests/FeatureApp.cs")]
    [InlineData("## Feature Management", "cshtml", "tests/ServerSidePersonalization.FeatureManagement.Tests/Pages/Readme.cshtml")]
    public void Section_CodeBlock_AppearsVerbatimInACompiledFile(string heading, string language, string file)
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var start = readme.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no section {heading}.");
        var section = readme[start..readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];
        var block = Assert.Single(CodeBlock().Matches(section), m => m.Groups["language"].Value == language).Groups["code"].Value;

        Assert.Contains(Lines(block), Lines(File.ReadAllText(Path.Combine(root, file))), StringComparison.Ordinal);
    }

    /// <summary>Each line trimmed, so indentation inside a method does not matter.</summary>
    private static string Lines(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(line => line.Trim()));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Middleware.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Middleware.sln not found above the test output.");
    }

    [GeneratedRegex("```(?<language>[a-z]+)\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
