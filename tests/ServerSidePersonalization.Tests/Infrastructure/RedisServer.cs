using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, owned by one test: it can be stopped (an outage), paused with
/// SIGSTOP (a Redis that accepts connections but never answers) and started again on the same port.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port},connectTimeout=2000";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort());
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        _process = Process.Start(new ProcessStartInfo(
            "redis-server",
            $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode no --loglevel warning")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start; tests/run.sh installs it.");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();

        // A real process: nothing tells when it is ready but a PING it answers, so ask until it does.
        if (!await Eventually.TrueAsync(async () => (await CliAsync("PING")).Trim() == "PONG"))
        {
            throw new InvalidOperationException($"redis-server did not answer on port {Port}.");
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public Task PauseAsync() => SignalAsync("STOP");

    public Task ResumeAsync() => SignalAsync("CONT");

    /// <summary>Runs <c>redis-cli</c> against this server and returns what it printed.</summary>
    public async Task<string> CliAsync(params string[] args)
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var cli = Process.Start(info)!;
        var output = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return output;
    }

    /// <summary>The keys matching <paramref name="pattern"/> (Redis glob syntax), every key by default.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string pattern = "*") =>
        [.. (await CliAsync("--scan", "--pattern", pattern)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>How many times Redis has run <paramref name="command"/> since the last CONFIG RESETSTAT.</summary>
    public async Task<long> CommandCallsAsync(string command)
    {
        var stats = await CliAsync("INFO", "commandstats");
        var line = stats.Split('\n').FirstOrDefault(l => l.StartsWith($"cmdstat_{command}:", StringComparison.OrdinalIgnoreCase));
        return line is null ? 0 : long.Parse(line.Split("calls=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await ResumeAsync();
        await StopAsync();
        _process?.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        if (_process is { HasExited: false } process)
        {
            using var kill = Process.Start("kill", $"-{signal} {process.Id}");
            await kill.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
