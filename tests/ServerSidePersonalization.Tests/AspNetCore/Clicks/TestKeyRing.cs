using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.AspNetCore.Clicks;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.Tests.AspNetCore.Clicks;

/// <summary>
/// A real Data Protection key ring (the framework's key manager and key ring provider) whose keys live in memory; two
/// instances made from one <see cref="Repository"/> are two app instances sharing their key ring.
/// </summary>
internal sealed class TestKeyRing : IDisposable
{
    private readonly ServiceProvider _services;

    public TestKeyRing(MemoryRepository? shared = null, string application = "ssp-tests")
    {
        Repository = shared ?? new MemoryRepository();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().SetApplicationName(application);
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = Repository);
        _services = services.BuildServiceProvider();
    }

    public MemoryRepository Repository { get; }

    public IKeyManager KeyManager => _services.GetRequiredService<IKeyManager>();

    public IDataProtectionProvider DataProtection => _services.GetRequiredService<IDataProtectionProvider>();

    public ClickKeys Keys() => ActivatorUtilities.CreateInstance<ClickKeys>(_services, NullLogger<ClickKeys>.Instance);

    public ClickTokens Tokens(TimeProvider? time = null, TimeSpan? lifetime = null)
    {
        var options = new PersonalizationOptions();
        if (lifetime is { } l)
        {
            options.Clicks.TokenLifetime = l;
        }

        return new ClickTokens(Keys(), new ReportedFields([], _services), time ?? TimeProvider.System, Options.Create(options));
    }

    /// <summary>A new key, activated now, that becomes the default; the old ones stay in the ring.</summary>
    public IKey Rotate()
    {
        var now = DateTimeOffset.UtcNow;
        return KeyManager.CreateNewKey(now, now.AddDays(90));
    }

    public void Dispose() => _services.Dispose();

    internal sealed class MemoryRepository : IXmlRepository
    {
        private readonly List<XElement> _elements = [];

        public IReadOnlyCollection<XElement> GetAllElements()
        {
            lock (_elements)
            {
                return [.. _elements.Select(e => new XElement(e))];
            }
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            lock (_elements)
            {
                _elements.Add(new XElement(element));
            }
        }
    }
}
