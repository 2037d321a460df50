using System.Globalization;

namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>
/// A real three-node Redis Cluster (three masters, no replicas, all 16384 slots covered) on free loopback ports, owned
/// by one test: each node is a <see cref="RedisServer"/> in its own folder under a temporary directory, which goes
/// with the nodes on dispose. A node can be stopped, paused and started again like a single server; started again, it
/// reads its nodes file and rejoins the cluster.
/// </summary>
internal sealed class RedisCluster : IAsyncDisposable
{
    /// <summary>A node's cluster bus listens on its port plus this.</summary>
    private const int BusPortOffset = 10000;

    private readonly DirectoryInfo _directory;
    private readonly List<RedisServer> _nodes = [];

    private RedisCluster(DirectoryInfo directory) => _directory = directory;

    /// <summary>The three nodes, in the order they were given slots (the first holds slots 0 to 5460).</summary>
    public IReadOnlyList<RedisServer> Nodes => _nodes;

    public IReadOnlyList<int> Ports => [.. _nodes.Select(n => n.Port)];

    /// <summary>Every node's endpoint: a StackExchange.Redis connection string for the cluster.</summary>
    public string ConnectionString => string.Join(',', _nodes.Select(n => n.Endpoint)) + ",connectTimeout=2000";

    /// <summary>Starts the nodes, joins them with <c>redis-cli --cluster create</c> and waits until every node says <c>cluster_state:ok</c>.</summary>
    public static async Task<RedisCluster> StartAsync()
    {
        var cluster = new RedisCluster(Directory.CreateTempSubdirectory("ssp-redis-cluster-"));
        try
        {
            await cluster.StartNodesAsync(3);
            var created = await RedisServer.RunCliAsync(
                ["--cluster", "create", .. cluster._nodes.Select(n => n.Endpoint), "--cluster-replicas", "0", "--cluster-yes"]);
            if (!created.Contains("[OK] All 16384 slots covered", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("redis-cli --cluster create failed:\n" + created);
            }

            // The nodes agree on the slot map by gossip between real processes, which takes real time; bounded.
            if (!await Eventually.TrueAsync(cluster.IsOkAsync, TimeSpan.FromSeconds(30)))
            {
                throw new InvalidOperationException("The cluster did not reach cluster_state:ok within 30 s.");
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Runs <c>redis-cli -c</c> (following MOVED redirects) against the first node: any key's command reaches its node.</summary>
    public Task<string> CliAsync(params string[] args) => _nodes[0].CliAsync(["-c", .. args]);

    /// <summary>The slot Redis puts <paramref name="key"/> in (<c>CLUSTER KEYSLOT</c>).</summary>
    public async Task<int> KeySlotAsync(string key) =>
        int.Parse((await CliAsync("CLUSTER", "KEYSLOT", key)).Trim(), CultureInfo.InvariantCulture);

    /// <summary>The keys matching <paramref name="pattern"/> on all the nodes.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string pattern = "*") =>
        [.. (await Task.WhenAll(_nodes.Select(n => n.KeysAsync(pattern)))).SelectMany(keys => keys)];

    /// <summary>How many times <paramref name="command"/> ran on all the nodes together since <see cref="ResetStatsAsync"/>.</summary>
    public async Task<long> CommandCallsAsync(string command) =>
        (await Task.WhenAll(_nodes.Select(n => n.CommandCallsAsync(command)))).Sum();

    /// <summary><c>CONFIG RESETSTAT</c> on every node: the command counts start again from zero.</summary>
    public Task ResetStatsAsync() => Task.WhenAll(_nodes.Select(n => n.CliAsync("CONFIG", "RESETSTAT")));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _directory.Delete(recursive: true);
    }

    private async Task StartNodesAsync(int count)
    {
        while (_nodes.Count < count)
        {
            _nodes.Add(await StartNodeAsync());
        }
    }

    /// <summary>
    /// One node on ports found free; other tests and processes share the machine, so a port can be taken between
    /// finding it and binding it: the node then exits at once and is tried again on other ports.
    /// </summary>
    private async Task<RedisServer> StartNodeAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = RedisServer.FreePort(alsoFreeAt: BusPortOffset);
            var folder = _directory.CreateSubdirectory($"node-{port}").FullName;
            try
            {
                return await RedisServer.StartAsync(
                    port,
                    $"--cluster-enabled yes --cluster-config-file \"{Path.Combine(folder, $"nodes-{port}.conf")}\" --dir \"{folder}\"",
                    folder);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    private async Task<bool> IsOkAsync()
    {
        var states = await Task.WhenAll(_nodes.Select(n => n.CliAsync("CLUSTER", "INFO")));
        return states.All(info => info.Contains("cluster_state:ok", StringComparison.Ordinal));
    }
}
