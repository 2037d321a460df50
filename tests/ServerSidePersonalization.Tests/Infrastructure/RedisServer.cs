using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, owned by one test: it can be stopped (an outage), paused with
/// SIGSTOP (a Redis that accepts connections but never answers) and started again on the same port. It is also one
/// node of a <c>RedisCluster</c>.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string _arguments;
    private readonly string? _directory;
    private Process? _process;

    private RedisServer(int port, string arguments, string? directory)
    {
        Port = port;
        _arguments = arguments;
        _directory = directory;
    }

    public int Port { get; }

    /// <summary>127.0.0.1 and the port, as a connection string and <c>redis-cli --cluster</c> name a node.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public string ConnectionString => $"{Endpoint},connectTimeout=2000";

    public static Task<RedisServer> StartAsync() => StartAsync(FreePort(), "", directory: null);

    /// <summary>
    /// A server on <paramref name="port"/> with more <c>redis-server</c> arguments (a cluster node's), running in
    /// <paramref name="directory"/> (where it writes its files); stopped again if it does not come up.
    /// </summary>
    public static async Task<RedisServer> StartAsync(int port, string moreArguments, string? directory)
    {
        var server = new RedisServer(
            port,
            $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode no --loglevel warning {moreArguments}",
            directory);
        try
        {
            await server.StartAgainAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async Task StartAgainAsync()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server", _arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory ?? "",
        }) ?? throw new InvalidOperationException("redis-server did not start; tests/run.sh installs it.");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();

        // A real process answers once it has started, which takes real time: a bounded wait, given up at once if the
        // process exits (its port taken meanwhile, say).
        var process = _process;
        if (!await Eventually.TrueAsync(async () => process.HasExited || (await CliAsync("PING")).Trim() == "PONG") || process.HasExited)
        {
            throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within 30 s.");
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
    public Task<string> CliAsync(params string[] args) =>
        RunCliAsync(["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), .. args]);

    /// <summary>Runs <c>redis-cli</c> with exactly <paramref name="args"/> and returns what it printed.</summary>
    public static async Task<string> RunCliAsync(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
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
        return line is null ? 0 : long.Parse(line.Split("calls=")[1].Split(',')[0], CultureInfo.InvariantCulture);
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

    /// <summary>
    /// A port nothing listens on; with <paramref name="alsoFreeAt"/>, one whose port + that offset is free as well (a
    /// cluster node's bus listens on port + 10000).
    /// </summary>
    public static int FreePort(int? alsoFreeAt = null)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (alsoFreeAt is not { } offset || IsFree(port + offset))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free port pair found.");
    }

    private static bool IsFree(int port)
    {
        if (port > IPEndPoint.MaxPort)
        {
            return false;
        }

        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
