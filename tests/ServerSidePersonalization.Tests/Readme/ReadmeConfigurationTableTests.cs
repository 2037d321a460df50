using System.Reflection;
using System.Text.RegularExpressions;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tracking;
using ServerSidePersonalization.Vendors.Local;

namespace ServerSidePersonalization.Tests.Readme;

/// <summary>
/// The README's configuration table names every setting the options classes bind, and nothing they do not: a renamed or
/// added property fails here until the table says so.
/// </summary>
public sealed partial class ReadmeConfigurationTableTests
{
    [Fact]
    public void ConfigurationTable_NamesEveryBoundSetting_AndNothingElse()
    {
        var documented = DocumentedKeys(File.ReadAllText(Path.Combine(Dotnet.RepositoryRoot, "README.md")));
        var bound = BoundKeys();

        Assert.True(
            documented.SetEquals(bound),
            "In the README, not bound: " + string.Join(", ", documented.Except(bound).Order(StringComparer.Ordinal))
            + "\nBound, not in the README: " + string.Join(", ", bound.Except(documented).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void DocumentedKeys_SiblingsAfterASlash_ShareTheFirstKeysSection()
    {
        var keys = DocumentedKeys("""
            | key | default | meaning |
            |---|---|---|
            | `Personalization:Cache:DistributedTimeout` / `DistributedBreakDuration` | x | y |
            | `Personalization:Context:Attributes:<name>` | none | z |
            """);

        Assert.Equal(
            ["Personalization:Cache:DistributedBreakDuration", "Personalization:Cache:DistributedTimeout", "Personalization:Context:Attributes"],
            keys.Order(StringComparer.Ordinal));
    }

    private static HashSet<string> DocumentedKeys(string readme)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match row in KeyCell().Matches(readme))
        {
            var names = row.Groups["cell"].Value.Split(" / ").Select(n => n.Trim().Trim('`')).ToList();
            var first = names[0];
            var section = first[..first.LastIndexOf(':')];
            foreach (var name in names)
            {
                var key = name.Contains(':', StringComparison.Ordinal) ? name : section + ":" + name;
                keys.Add(key.EndsWith(":<name>", StringComparison.Ordinal) ? key[..^":<name>".Length] : key);
            }
        }

        return keys;
    }

    private static HashSet<string> BoundKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        Walk(typeof(PersonalizationOptions), PersonalizationOptions.SectionName, keys);

        // Each vendor module binds its own section under Personalization (its SectionName).
        foreach (var module in typeof(PersonalizationOptions).Assembly.GetExportedTypes()
                     .Where(t => t != typeof(PersonalizationOptions) && t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true }))
        {
            Walk(module, PersonalizationOptions.SectionName + ":" + (string)module.GetField("SectionName")!.GetRawConstantValue()!, keys);
        }

        Walk(typeof(LocalTrackingOptions), "Personalization:Tracking:Local", keys);
        foreach (var destination in new[] { "MoEngage", "DynamicYield", "Local" })
        {
            Walk(typeof(TrackingDestinationOptions), "Personalization:Tracking:" + destination, keys);
        }

        return keys;
    }

    private static void Walk(Type type, string path, HashSet<string> keys)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod is { IsPublic: true }))
        {
            var key = path + ":" + property.Name;
            var nested = property.PropertyType is { IsClass: true } t && t != typeof(string) && t.Namespace?.StartsWith("ServerSidePersonalization", StringComparison.Ordinal) == true;
            if (nested)
            {
                Walk(property.PropertyType, key, keys);
            }
            else
            {
                keys.Add(key);
            }
        }
    }

    [GeneratedRegex(@"^\| (?<cell>`Personalization:[^|]*?) \|", RegexOptions.Multiline)]
    private static partial Regex KeyCell();
}
