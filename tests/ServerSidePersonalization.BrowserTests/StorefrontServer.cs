using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServerSidePersonalization.BrowserTests;

/// <summary>The Storefront sample on real Kestrel, on a free loopback port, for a real browser to load.</summary>
public sealed class StorefrontServer : IDisposable
{
    private readonly WebApplicationFactory<Program> _factory = new();

    public StorefrontServer()
    {
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = new Uri(addresses.Addresses.First());
    }

    public Uri BaseUrl { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Each variation of home-hero in the sample's experiences file: its id and payload.</summary>
    public List<(string Id, JsonElement Payload)> HeroVariations()
    {
        var root = Services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        using var file = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "experiences.json")));
        return file.RootElement.GetProperty("experiences").EnumerateArray()
            .Single(e => e.GetProperty("key").GetString() == "home-hero")
            .GetProperty("variations").EnumerateArray()
            .Select(v => (v.GetProperty("id").GetString()!, v.GetProperty("payload").Clone()))
            .ToList();
    }

    /// <summary>Each hero title in the sample's experiences file, with the URL its call to action leads to.</summary>
    public Dictionary<string, string> HeroTargets() =>
        HeroVariations().ToDictionary(v => v.Payload.GetProperty("Title").GetString()!, v => v.Payload.GetProperty("CtaUrl").GetString()!);

    public void Dispose() => _factory.Dispose();
}
