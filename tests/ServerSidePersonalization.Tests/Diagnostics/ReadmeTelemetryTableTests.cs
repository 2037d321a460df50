using System.Reflection;
using System.Text.RegularExpressions;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Diagnostics;

/// <summary>The README's Observability tables list exactly the instruments and spans the library publishes.</summary>
public sealed partial class ReadmeTelemetryTableTests
{
    [Fact]
    public void ObservabilityTables_NameEveryInstrumentAndSpan_AndNothingElse()
    {
        var readme = File.ReadAllText(Path.Combine(Dotnet.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("## Observability", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no Observability section.");
        var section = readme[start..readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];
        var listed = TableRow().Matches(section).Select(m => m.Groups["name"].Value).ToList();

        var tracing = typeof(PersonalizationTracing).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToList();
        var spans = tracing.Where(f => !f.Name.EndsWith("Tag", StringComparison.Ordinal) && f.Name != nameof(PersonalizationTracing.ActivitySourceName));
        var published = MetricsCollector.AllInstruments.Concat(spans.Select(f => (string)f.GetRawConstantValue()!));
        Assert.Equal(published.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));

        // Every span tag is named in the span table.
        foreach (var tag in tracing.Where(f => f.Name.EndsWith("Tag", StringComparison.Ordinal)).Select(f => (string)f.GetRawConstantValue()!))
        {
            Assert.Contains($"`{tag}`", section, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"^\| `(?<name>personalization\.[a-z0-9_.]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
