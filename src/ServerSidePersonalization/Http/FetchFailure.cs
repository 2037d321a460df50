using System.Globalization;
using System.Text.Json;

namespace ServerSidePersonalization.Http;

/// <summary>
/// What went wrong with a vendor call that threw, in words for a log line: a timeout, a network error, an answer over
/// the size cap, malformed JSON. Null for anything else (and for a cancellation the caller asked for), which the caller
/// lets through.
/// </summary>
internal readonly record struct FetchFailure(string Problem, string? Detail)
{
    public static FetchFailure? From(Exception exception, long maxResponseBytes, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        OperationCanceledException => new FetchFailure("timeout", null),
        HttpRequestException http => new FetchFailure("network error", http.HttpRequestError.ToString()),
        ResponseTooLargeException => new FetchFailure("answer over the size cap", maxResponseBytes.ToString(CultureInfo.InvariantCulture)),
        JsonException json => new FetchFailure("malformed JSON", json.Path),
        _ => null,
    };
}
