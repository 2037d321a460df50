using System.Text.RegularExpressions;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Readme;

/// <summary>
/// Code in the README is code the build compiles: every line of its C# and Razor snippets is found in the sample, the
/// tests (<see cref="ReadmeSnippets"/> holds the ones nothing else needs) or the library.
/// </summary>
public sealed partial class ReadmeSnippetsTests
{
    [Fact]
    public void EveryLineOfEveryCSharpAndRazorSnippet_IsInCodeTheBuildCompiles()
    {
        var root = Dotnet.RepositoryRoot;
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var compiled = CompiledLines(root);

        var snippets = Snippet().Matches(readme);
        Assert.NotEmpty(snippets);
        var missing = new List<string>();
        foreach (Match snippet in snippets)
        {
            foreach (var line in snippet.Groups["code"].Value.Split('\n').Select(Normalize).Where(l => l.Length > 0))
            {
                // "..." in a snippet stands for code the reader writes.
                var pattern = line.Contains("...", StringComparison.Ordinal)
                    ? new Regex("^" + string.Join(".*", line.Split("...").Select(Regex.Escape)) + "$", RegexOptions.None, TimeSpan.FromSeconds(1))
                    : null;
                if (!compiled.Any(c => pattern?.IsMatch(c) ?? c.Contains(line, StringComparison.Ordinal)))
                {
                    missing.Add(line);
                }
            }
        }

        Assert.True(missing.Count == 0, "README lines that no compiled file holds:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void Normalize_DropsCommentsAndWhitespaceRuns_KeepsUrlsInStrings()
    {
        Assert.Equal("app.MapGet(\"/a\", x);", Normalize("   app.MapGet(\"/a\",   x);   // a comment"));
        Assert.Equal("var u = \"http://x/y\";", Normalize("var u = \"http://x/y\";"));
        Assert.Equal(string.Empty, Normalize("// ..."));
        Assert.Equal("<h1>Hi</h1>", Normalize("  <h1>Hi</h1>  @* why *@"));
    }

    /// <summary>Trimmed, whitespace runs collapsed, a trailing <c>//</c> or <c>@* *@</c> comment removed.</summary>
    private static string Normalize(string line)
    {
        var code = RazorComment().Replace(line, string.Empty);
        var comment = LineComment().Match(code);
        if (comment.Success)
        {
            code = code[..comment.Index];
        }

        return Whitespace().Replace(code, " ").Trim();
    }

    private static List<string> CompiledLines(string root)
    {
        var files = new[] { "samples", "src", "tests" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.EndsWith(nameof(ReadmeSnippetsTests) + ".cs", StringComparison.Ordinal));
        return files.SelectMany(File.ReadLines).Select(Normalize).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }

    [GeneratedRegex(@"^[ ]*```(?:csharp|cshtml)[ ]*\n(?<code>.*?)^[ ]*```[ ]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Snippet();

    // A // that starts a comment: not inside a string ("http://..."), i.e. preceded by an even number of quotes.
    [GeneratedRegex(@"(?<=^[^""]*(?:""[^""]*""[^""]*)*)//.*$")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"@\*.*?\*@")]
    private static partial Regex RazorComment();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
