using System.Globalization;
using System.Net.Http.Headers;

namespace ServerSidePersonalization.Http;

/// <summary>How long a vendor asked us to wait: <c>Retry-After</c> (seconds or an HTTP date) or <c>x-ratelimit-reset</c>.</summary>
internal static class RetryAfter
{
    /// <summary>
    /// The wait the response asks for, or null when it names none. <c>x-ratelimit-reset</c> is read as epoch seconds
    /// when it is that large, else as seconds from now.
    /// </summary>
    public static TimeSpan? From(HttpResponseMessage response, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (response.Headers.RetryAfter is RetryConditionHeaderValue retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                return date > now ? date - now : TimeSpan.Zero;
            }
        }

        if (response.Headers.TryGetValues("x-ratelimit-reset", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var reset)
            && double.IsFinite(reset) && reset >= 0)
        {
            const double EpochThreshold = 1_000_000_000;
            var seconds = reset >= EpochThreshold ? reset - now.ToUnixTimeSeconds() : reset;
            return TimeSpan.FromSeconds(Math.Clamp(seconds, 0, TimeSpan.FromDays(1).TotalSeconds));
        }

        return null;
    }

    /// <summary>Whether a status is worth retrying: 408, 429 and every 5xx.</summary>
    public static bool IsTransient(int status) => status is 408 or 429 or >= 500;
}
