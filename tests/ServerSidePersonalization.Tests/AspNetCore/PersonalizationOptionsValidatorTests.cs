using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Vendors.MoEngage;

namespace ServerSidePersonalization.Tests.AspNetCore;

/// <summary>Bad configuration stops the app at start-up with a message naming the key to fix.</summary>
public sealed class PersonalizationOptionsValidatorTests
{
    private static readonly Dictionary<string, string?> ValidMoEngage = new()
    {
        ["Personalization:Provider"] = "MoEngage",
        ["Personalization:MoEngage:DataCenter"] = "01",
        ["Personalization:MoEngage:WorkspaceId"] = "WS",
        ["Personalization:MoEngage:ApiKey"] = "key",
    };

    [Theory]
    [InlineData("Personalization:MoEngage:ApiKey", null, "Personalization:MoEngage:ApiKey")]
    [InlineData("Personalization:MoEngage:WorkspaceId", null, "Personalization:MoEngage:WorkspaceId")]
    [InlineData("Personalization:MoEngage:DataCenter", null, "Personalization:MoEngage:DataCenter")]
    [InlineData("Personalization:MoEngage:DataCenter", "07", "Personalization:MoEngage:DataCenter must be one of")]
    [InlineData("Personalization:MoEngage:BaseUrl", "not a url", "Personalization:MoEngage:BaseUrl")]
    [InlineData("Personalization:MoEngage:BaseUrl", "ftp://files.example", "Personalization:MoEngage:BaseUrl")]
    [InlineData("Personalization:MoEngage:HttpTimeout", "00:00:00.100", "Personalization:MoEngage:HttpTimeout")]
    [InlineData("Personalization:MoEngage:Timeout", "00:01:00", "Timeout")]
    [InlineData("Personalization:MoEngage:AnonymousVisitors", "7", "Personalization:MoEngage:AnonymousVisitors must be Send or Skip")]
    [InlineData("Personalization:MoEngage:CustomerId", "7", "Personalization:MoEngage:CustomerId must be AsIs or Sha256")]
    [InlineData("Personalization:Provider", "Acme", "Personalization:Provider 'Acme' is not a registered provider")]
    [InlineData("Personalization:Identity:Order:0", "Acme", "Personalization:Identity:Order contains 'Acme'")]
    [InlineData("Personalization:Context:Attributes:USER_AGENT", "header:User-Agent", "Personalization:Context:Attributes:USER_AGENT")]
    [InlineData("Personalization:Experiences:0", "has space", "Personalization:Experiences")]
    [InlineData("Personalization:Identity:CustomerIdHeader", "Bad Header", "Personalization:Identity:CustomerIdHeader")]
    [InlineData("Personalization:Identity:MaxIdLength", "4", "MaxIdLength")]
    [InlineData("Personalization:Clicks:AllowedHosts:0", "https://shop.example", "Personalization:Clicks:AllowedHosts")]
    [InlineData("Personalization:Clicks:AllowedHosts:0", "shop.example/path", "Personalization:Clicks:AllowedHosts")]
    [InlineData("Personalization:Tracking:BatchSize", "0", "BatchSize")]
    [InlineData("Personalization:Tracking:MaxDeliveries", "0", "MaxDeliveries")]
    [InlineData("Personalization:Tracking:ClaimAfter", "00:00:00", "ClaimAfter")]
    [InlineData("Personalization:Tracking:AppendTimeout", "00:01:00", "AppendTimeout")]
    [InlineData("Personalization:Cache:FailSafeRetryInterval", "02:00:00", "FailSafeRetryInterval")]
    public async Task Start_InvalidSetting_FailsNamingTheKey(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>(ValidMoEngage) { [key] = value };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MoEngageWithoutApiKey_FailsNamingTheKey()
    {
        var settings = new Dictionary<string, string?>(ValidMoEngage);
        settings.Remove("Personalization:MoEngage:ApiKey");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(settings));

        Assert.Equal(
            "Personalization:MoEngage:ApiKey is required when Personalization:Provider is MoEngage.",
            Assert.Single(error.Failures));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Start_DurableWithoutRedis_FailsNamingBothKeys(bool addRedis)
    {
        var settings = new Dictionary<string, string?>(ValidMoEngage) { ["Personalization:Tracking:Durable"] = "true" };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(
            settings, services => { if (addRedis) { services.AddServerSidePersonalization().AddRedis(); } }));

        var failure = Assert.Single(error.Failures);
        Assert.Contains("Personalization:Tracking:Durable", failure, StringComparison.Ordinal);
        Assert.Contains("Personalization:Cache:Redis", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ValidMoEngage_Starts()
    {
        await using var app = await TestApp.StartAsync(ValidMoEngage);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.GetAsync("/identity")).StatusCode);
    }

    [Fact]
    public void AddServerSidePersonalization_Action_AppliesAfterTheSection()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Personalization:Experiences:0"] = "from-config",
            ["Personalization:Identity:VisitorCookie"] = "config_cookie",
        }).Build());

        services.AddServerSidePersonalization(o => o.Identity.VisitorCookie = "code_cookie");
        var options = services.BuildServiceProvider().GetRequiredService<IOptions<PersonalizationOptions>>().Value;

        Assert.Equal("code_cookie", options.Identity.VisitorCookie);
        Assert.Equal(["from-config"], options.Experiences);
    }

    [Fact]
    public void AddServerSidePersonalization_ConfigurationSection_BindsThatSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Custom:Provider"] = "MoEngage",
            ["Custom:MoEngage:DataCenter"] = "02",
            ["Custom:MoEngage:WorkspaceId"] = "WS",
            ["Custom:MoEngage:ApiKey"] = "key",
            ["Custom:MoEngage:Timeout"] = "00:00:00.250",
        }).Build();
        var services = new ServiceCollection();

        services.AddServerSidePersonalization(configuration.GetSection("Custom"));
        var options = services.BuildServiceProvider().GetRequiredService<IOptions<PersonalizationOptions>>().Value;

        var provider = services.BuildServiceProvider();
        var moEngage = provider.GetRequiredService<IOptions<MoEngageOptions>>().Value;

        Assert.Equal("MoEngage", options.Provider);
        Assert.Equal(TimeSpan.FromMilliseconds(250), moEngage.Timeout);
        Assert.Equal(new Uri("https://sdk-02.moengage.com/"), moEngage.ResolveBaseUrl());
    }

    [Fact]
    public void AddServerSidePersonalization_CalledTwice_BindsListsOnce()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Personalization:Experiences:0"] = "banner",
        }).Build());

        services.AddServerSidePersonalization();
        services.AddServerSidePersonalization();
        var options = services.BuildServiceProvider().GetRequiredService<IOptions<PersonalizationOptions>>().Value;

        Assert.Equal(["banner"], options.Experiences);
    }

    [Fact]
    public async Task Start_UnknownProvider_ListsTheRegisteredOnes()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Personalization:Provider"] = "Acme",
        }));

        Assert.Equal(
            "Personalization:Provider 'Acme' is not a registered provider; registered providers are Local, MoEngage, DynamicYield.",
            Assert.Single(error.Failures));
    }

    [Fact]
    public async Task Start_ProviderNameInOtherCase_SelectsIt()
    {
        var settings = new Dictionary<string, string?>(ValidMoEngage) { ["Personalization:Provider"] = "moengage" };

        await using var app = await TestApp.StartAsync(settings);

        Assert.Equal("MoEngage", app.Services.GetRequiredService<SelectedProviders>().Main.Provider.Name);
    }

    [Fact]
    public async Task Start_MoEngageEventsOnWithoutCredentials_FailsNamingTheSwitch()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Personalization:Tracking:MoEngage:Enabled"] = "true",
            ["Personalization:MoEngage:DataCenter"] = "01",
            ["Personalization:MoEngage:WorkspaceId"] = "WS",
        }));

        Assert.Equal(
            "Personalization:MoEngage:ApiKey is required when Personalization:Tracking:MoEngage:Enabled is true.",
            Assert.Single(error.Failures));
    }

    [Fact]
    public async Task Start_MoEngageNotUsed_ItsSettingsAreNotRequired()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Personalization:MoEngage:DataCenter"] = "99" });

        Assert.Equal("Local", app.Services.GetRequiredService<SelectedProviders>().Main.Provider.Name);
    }

    [Fact]
    public void AddMoEngage_Action_AppliesAfterItsSection()
    {
        var services = ServicesWith(new() { ["Personalization:MoEngage:DataCenter"] = "02", ["Personalization:MoEngage:WorkspaceId"] = "WS" });

        services.AddServerSidePersonalization().AddMoEngage(o => o.DataCenter = "03");
        var moEngage = services.BuildServiceProvider().GetRequiredService<IOptions<MoEngageOptions>>().Value;

        Assert.Equal("03", moEngage.DataCenter);
        Assert.Equal("WS", moEngage.WorkspaceId);
    }

    [Fact]
    public void AddMoEngage_ConfigurationSection_BindsItOverItsSection()
    {
        var services = ServicesWith(new() { ["Personalization:MoEngage:DataCenter"] = "02", ["Personalization:MoEngage:WorkspaceId"] = "WS" });
        var other = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DataCenter"] = "05" }).Build();

        services.AddServerSidePersonalization().AddMoEngage(other).AddMoEngage();
        var provider = services.BuildServiceProvider();

        Assert.Equal("05", provider.GetRequiredService<IOptions<MoEngageOptions>>().Value.DataCenter);
        Assert.Equal("WS", provider.GetRequiredService<IOptions<MoEngageOptions>>().Value.WorkspaceId);
        Assert.Single(provider.GetServices<ProviderRegistration>(), r => r.Name == "MoEngage");
    }

    private static ServiceCollection ServicesWith(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services;
    }
}
