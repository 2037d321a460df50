using System.Buffers;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.Privacy;

/// <summary>
/// Recognizes clients that are not a person looking at a page by markers in their User-Agent: the built-in list
/// (<c>bot-user-agents.txt</c>, embedded) plus <see cref="PrivacyOptions.BotUserAgents"/> minus
/// <see cref="PrivacyOptions.AllowedUserAgents"/>, matched case-insensitively in one pass. No User-Agent is a bot too.
/// </summary>
internal sealed class BotUserAgents
{
    private const string ResourceName = "ServerSidePersonalization.Privacy.bot-user-agents.txt";

    private readonly SearchValues<string> _markers;

    public BotUserAgents(IOptions<PersonalizationOptions> options)
    {
        var privacy = options.Value.Privacy;
        var allowed = new HashSet<string>(Clean(privacy.AllowedUserAgents), StringComparer.OrdinalIgnoreCase);
        var markers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        markers.UnionWith(Clean(BuiltIn.Value).Concat(Clean(privacy.BotUserAgents)).Where(m => !allowed.Contains(m)));
        string[] all = [.. markers];
        Markers = all;
        _markers = SearchValues.Create(all, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The markers in force, after configuration added and removed some.</summary>
    public IReadOnlyList<string> Markers { get; }

    /// <summary>The built-in markers, read once from the embedded list.</summary>
    internal static Lazy<IReadOnlyList<string>> BuiltIn { get; } = new(Load);

    public bool IsBot(string? userAgent) => string.IsNullOrWhiteSpace(userAgent) || userAgent.AsSpan().ContainsAny(_markers);

    private static IEnumerable<string> Clean(IEnumerable<string> markers) =>
        markers.Select(m => m?.Trim()).Where(m => !string.IsNullOrEmpty(m) && !m.StartsWith('#'))!;

    private static List<string> Load()
    {
        using var stream = typeof(BotUserAgents).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}
