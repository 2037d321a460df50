using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Redis;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;
using StackExchange.Redis;

namespace ServerSidePersonalization.Tests.Redis;

/// <summary>The <c>AddRedis</c> overloads, and whose multiplexer is used and disposed, against a real redis-server.</summary>
public sealed class PersonalizationRedisBuilderExtensionsTests : IAsyncLifetime
{
    private StubVendorServer _stub = null!;
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        _stub = await StubVendorServer.StartAsync();
        _stub.Respond = MoEngageStub.Answer();
        _redis = await RedisServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _stub.DisposeAsync();
        await _redis.DisposeAsync();
    }

    public static TheoryData<string> Overloads => ["connection string", "action", "configuration section"];

    [Theory]
    [MemberData(nameof(Overloads))]
    public async Task AddRedis_EachOverload_UsesRedisForL2(string overload)
    {
        var connectionString = _redis.ConnectionString;
        await using var app = await TestApp.StartAsync(MoEngageStub.Settings(_stub), services =>
        {
            var builder = services.AddServerSidePersonalization();
            _ = overload switch
            {
                "connection string" => builder.AddRedis(connectionString),
                "action" => builder.AddRedis(o => o.Configuration = connectionString),
                _ => builder.AddRedis(new ConfigurationBuilder()
                    .AddInMemoryCollection([new("Configuration", connectionString)])
                    .Build()),
            };
        });

        await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Single(await WaitForL2KeysAsync(1));
    }

    [Fact]
    public async Task AddRedis_NoConnectionString_CreatesNoStoreAndNoConnection()
    {
        await using var app = await TestApp.StartAsync(MoEngageStub.Settings(_stub), services => services.AddServerSidePersonalization().AddRedis());

        Assert.Null(app.Services.GetRequiredService<L2StoreFactory>().Create(app.Services));
        Assert.False(app.Services.GetRequiredService<RedisConnection>().IsConfigured);
        Assert.Null(app.Services.GetService<IL2Store>());
    }

    [Fact]
    public async Task AddRedis_RegisteredMultiplexer_IsUsedAndLeftOpen()
    {
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        await using (var app = await TestApp.StartAsync(
            MoEngageStub.Settings(_stub),
            services => services.AddSingleton<IConnectionMultiplexer>(multiplexer).AddServerSidePersonalization().AddRedis()))
        {
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

            Assert.Same(multiplexer, await app.Services.GetRequiredService<RedisConnection>().GetAsync());
            Assert.Single(await WaitForL2KeysAsync(1));
        }

        Assert.True(multiplexer.IsConnected, "The app's own multiplexer is the app's to dispose.");
        Assert.True(await multiplexer.GetDatabase().KeyExistsAsync((await _redis.KeysAsync("ssp:*"))[0]));
    }

    [Fact]
    public async Task AddRedis_OwnMultiplexer_IsDisposedWithTheApp()
    {
        IConnectionMultiplexer multiplexer;
        await using (var app = await TestApp.StartAsync(
            MoEngageStub.Settings(_stub, ("Personalization:Cache:Redis", _redis.ConnectionString)),
            services => services.AddServerSidePersonalization().AddRedis()))
        {
            multiplexer = await app.Services.GetRequiredService<RedisConnection>().GetAsync();
            await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));
            Assert.True(multiplexer.IsConnected);
        }

        Assert.False(multiplexer.IsConnected);
    }

    private async Task<IReadOnlyList<string>> WaitForL2KeysAsync(int count)
    {
        await Eventually.TrueAsync(async () => (await _redis.KeysAsync("ssp:*")).Count >= count);
        return await _redis.KeysAsync("ssp:*");
    }
}
