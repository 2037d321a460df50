namespace ServerSidePersonalization.Http;

/// <summary>The one rule for a vendor's configured base URL, shared by the modules' validators.</summary>
internal static class VendorUrl
{
    /// <summary>Whether <paramref name="url"/> is an absolute http or https URL.</summary>
    public static bool IsHttp(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>Adds a failure naming <paramref name="key"/> when a base URL is set and is not an absolute http(s) URL.</summary>
    public static void Check(string? url, string key, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(url) && !IsHttp(url))
        {
            failures.Add(key + " must be an absolute http or https URL.");
        }
    }

    /// <summary>The configured base URL, or <paramref name="defaultUrl"/> when none is set, ending in <c>/</c> so paths resolve below it.</summary>
    public static Uri Base(string? configured, string defaultUrl)
    {
        var url = string.IsNullOrWhiteSpace(configured) ? defaultUrl : configured;
        return new Uri(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
    }
}
