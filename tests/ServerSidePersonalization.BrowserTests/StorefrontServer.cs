using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

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

    public void Dispose() => _factory.Dispose();
}
