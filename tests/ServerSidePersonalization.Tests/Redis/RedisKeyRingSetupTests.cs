using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.Redis;

/// <summary>
/// The Data Protection key ring in Redis: two app instances (two hosts in this process, one application name) on one
/// real redis-server verify each other's click tokens; an app that chose its own key repository keeps it.
/// </summary>
public sealed class RedisKeyRingSetupTests : IAsyncLifetime
{
    private const string KeyRing = "DataProtection-Keys";
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

    [Fact]
    public async Task ClickLink_MintedOnOneInstance_RedirectsOnAnother()
    {
        var recorderA = new RecordingDestination();
        var recorderB = new RecordingDestination();
        await using var a = await StartAsync(services => services.AddSingleton<ITrackingDestination>(recorderA));
        await using var b = await StartAsync(services => services.AddSingleton<ITrackingDestination>(recorderB));
        const string visitor = "visitor-on-a";
        var href = Html.Href(await a.GetPageAsync("/Tags/Click", ("ssp_vid", visitor)), "cta");
        Assert.NotNull(href);

        using var response = await b.GetAsync(href, ("ssp_vid", visitor));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/landing/hero", response.Headers.Location?.OriginalString);
        Assert.Single(recorderB.AcceptedClicks(visitor));
        Assert.Empty(recorderA.AcceptedClicks(visitor));

        // Both instances read their ring from Redis, and it holds the one key both used.
        Assert.All([a, b], app => Assert.IsType<RedisXmlRepository>(KeyManagement(app).XmlRepository));
        Assert.Equal("1", (await _redis.CliAsync("LLEN", KeyRing)).Trim());
        var keyA = Assert.Single(a.Services.GetRequiredService<IKeyManager>().GetAllKeys()).KeyId;
        var keyB = Assert.Single(b.Services.GetRequiredService<IKeyManager>().GetAllKeys()).KeyId;
        Assert.Equal(keyA, keyB);
        Assert.Contains(keyA.ToString(), await _redis.CliAsync("LRANGE", KeyRing, "0", "-1"), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OwnKeyRepository_IsKept_AndRedisHoldsNoKeys(bool configuredBeforeAddRedis)
    {
        var directory = Directory.CreateTempSubdirectory("ssp-keys-");
        try
        {
            await using var app = await StartAsync(services =>
            {
                if (configuredBeforeAddRedis)
                {
                    services.AddDataProtection().PersistKeysToFileSystem(directory);
                    services.AddServerSidePersonalization().AddRedis();
                }
                else
                {
                    services.AddServerSidePersonalization().AddRedis();
                    services.AddDataProtection().PersistKeysToFileSystem(directory);
                }
            });

            var href = Html.Href(await app.GetPageAsync("/Tags/Click", ("ssp_vid", "visitor-1")), "cta");
            using var response = await app.GetAsync(href!, ("ssp_vid", "visitor-1"));

            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.IsType<FileSystemXmlRepository>(KeyManagement(app).XmlRepository);
            Assert.Single(directory.GetFiles("key-*.xml"));
            Assert.Empty(await _redis.KeysAsync(KeyRing));
            Assert.Empty(app.Logs.Named("DataProtectionKeysInRedis"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PersistDataProtectionKeysOff_LeavesTheRingAlone()
    {
        await using var app = await StartAsync(services => services.AddServerSidePersonalization().AddRedis(o => o.PersistDataProtectionKeys = false));

        await app.GetPageAsync("/Tags/Click", ("ssp_vid", "visitor-1"));

        Assert.IsNotType<RedisXmlRepository>(KeyManagement(app).XmlRepository);
        Assert.Empty(await _redis.KeysAsync(KeyRing));
    }

    [Fact]
    public async Task NoRedisConfigured_LeavesTheRingAlone()
    {
        await using var app = await TestApp.StartAsync(
            MoEngageStub.Settings(_stub), services => services.AddServerSidePersonalization().AddRedis());

        await app.GetPageAsync("/Tags/Click", ("ssp_vid", "visitor-1"));

        Assert.IsNotType<RedisXmlRepository>(KeyManagement(app).XmlRepository);
        Assert.Empty(await _redis.KeysAsync());
    }

    private static KeyManagementOptions KeyManagement(TestApp app) =>
        app.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value;

    /// <summary>
    /// Every TestApp has the same application name and content root, so the instances share Data Protection's
    /// application discriminator, as two instances of one deployed app do.
    /// </summary>
    private Task<TestApp> StartAsync(Action<IServiceCollection> services) =>
        TestApp.StartAsync(
            MoEngageStub.Settings(
                _stub,
                ("Personalization:Cache:Redis", _redis.ConnectionString),
                ("Personalization:Tracking:MoEngage:Enabled", "false")),
            services: s =>
            {
                services(s);
                s.AddServerSidePersonalization().AddRedis();
            });
}
