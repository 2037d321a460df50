using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServerSidePersonalization.Benchmarks.Comparison;

/// <summary>
/// The visitors wrk plays: 1,000 valid <c>ssp_vid</c> ids (32 lower-case hex characters, as the library issues them),
/// the same in every run, so no variant issues a cookie while it is measured.
/// </summary>
internal static class Visitors
{
    public const string CookieName = "ssp_vid";

    public const int Count = 1_000;

    /// <summary>A browser's User-Agent: without one the library takes a request for a bot's and tracks nothing.</summary>
    public const string BrowserUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary>The id of visitor <paramref name="index"/>: a hash, so ids look as random as issued ones.</summary>
    public static string Id(int index) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(index.ToString(CultureInfo.InvariantCulture))))[..32];

    /// <summary>Writes the wrk script that cycles through the visitors, one per request, and returns its path.</summary>
    public static string WriteScript(string directory)
    {
        var script = new StringBuilder("local ids = {\n");
        for (var i = 0; i < Count; i++)
        {
            script.Append(CultureInfo.InvariantCulture, $"  \"{Id(i)}\",\n");
        }

        script.Append(CultureInfo.InvariantCulture, $$"""
            }
            local i = 0
            request = function()
              i = i % #ids + 1
              return wrk.format(nil, nil, { ["Cookie"] = "{{CookieName}}=" .. ids[i], ["User-Agent"] = "{{BrowserUserAgent}}" })
            end

            """);
        var path = Path.Combine(directory, "visitors.lua");
        File.WriteAllText(path, script.ToString());
        return path;
    }
}
