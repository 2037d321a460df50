using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ServerSidePersonalization.Benchmarks.Comparison;

/// <summary>What one <c>wrk --latency</c> run printed.</summary>
internal sealed record WrkRun(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long SocketErrors);

/// <summary>Runs wrk (one thread, as the issue fixes it) against a URL with the visitors script, and reads its summary.</summary>
internal static partial class Wrk
{
    public static async Task<WrkRun> RunAsync(Uri url, string script, int connections, TimeSpan duration)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-t1", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-s", script, url.ToString()])
        {
            info.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start; tests/bench.sh installs it.");
        var output = wrk.StandardOutput.ReadToEndAsync();
        var errors = wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var text = await output;
        if (wrk.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with {wrk.ExitCode}: {await errors}{text}");
        }

        // A page that failed is not a page measured: the comparison would be of error pages.
        if (NonSuccess().Match(text) is { Success: true } failed)
        {
            throw new InvalidOperationException($"{url} answered {failed.Groups[1].Value} requests with a non-2xx/3xx status:\n{text}");
        }

        var socketErrors = SocketErrors().Match(text) is { Success: true } socket
            ? Enumerable.Range(1, 4).Sum(g => long.Parse(socket.Groups[g].Value, CultureInfo.InvariantCulture))
            : 0;
        return new WrkRun(
            double.Parse(Required(RequestsPerSecond(), text, url).Groups[1].Value, CultureInfo.InvariantCulture),
            Percentile(text, "50%", url),
            Percentile(text, "99%", url),
            long.Parse(Required(TotalRequests(), text, url).Groups[1].Value, CultureInfo.InvariantCulture),
            socketErrors);
    }

    private static double Percentile(string text, string percentile, Uri url)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(percentile, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no {percentile} latency for {url}:\n{text}");
        var match = Required(Latency(), line, url);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            var unit => throw new InvalidOperationException($"wrk printed a latency in {unit}."),
        };
    }

    private static Match Required(Regex regex, string text, Uri url) =>
        regex.Match(text) is { Success: true } match ? match : throw new InvalidOperationException($"wrk's output for {url} lacks {regex}:\n{text}");

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex TotalRequests();

    [GeneratedRegex(@"%\s+([\d.]+)(us|ms|s)\b")]
    private static partial Regex Latency();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
