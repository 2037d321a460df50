using System.Net.Http.Headers;
using System.Text;

namespace ServerSidePersonalization.Vendors.MoEngage;

/// <summary>MoEngage's base URL and authentication headers, computed once.</summary>
internal sealed class MoEngageConnection
{
    public const string HttpClientName = "ServerSidePersonalization.MoEngage";
    public const string AppKeyHeader = "MOE-APPKEY";

    public MoEngageConnection(MoEngageOptions options)
    {
        BaseUrl = options.ResolveBaseUrl();
        WorkspaceId = options.WorkspaceId ?? string.Empty;
        Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.WorkspaceId}:{options.ApiKey}")));
    }

    public Uri BaseUrl { get; }

    public string WorkspaceId { get; }

    public AuthenticationHeaderValue Authorization { get; }

    public HttpRequestMessage CreateRequest(string path, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl, path)) { Content = content };
        request.Headers.Authorization = Authorization;
        request.Headers.TryAddWithoutValidation(AppKeyHeader, WorkspaceId);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }
}
