using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.KeyManagement.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.AspNetCore.Clicks;

/// <summary>
/// The keys click tokens are signed with, one per key of the app's Data Protection key ring, derived with HKDF from that
/// key's master secret and the app's Data Protection application name: every instance sharing the key ring and the name
/// derives the same keys, and an app with another key ring or name cannot (as with Data Protection's own payloads). Tokens are signed with the key Data Protection itself protects with (its default key), and a token signed by
/// an older key still verifies while that key is in the ring and not revoked.
/// </summary>
internal sealed class ClickKeys
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private readonly IKeyRingProvider _ring;
    private readonly IKeyManager _keyManager;
    private readonly ILogger<ClickKeys> _logger;
    private readonly string _application;
    private readonly Lock _refresh = new();

    // Replaced whole, never changed: readers take no lock.
    private volatile Derived _derived = new(null, []);
    private long _lastRefresh = long.MinValue;

    public ClickKeys(IKeyRingProvider ring, IKeyManager keyManager, IOptions<DataProtectionOptions> dataProtection, ILogger<ClickKeys> logger)
    {
        _application = dataProtection.Value.ApplicationDiscriminator ?? string.Empty;
        _ring = ring;
        _keyManager = keyManager;
        _logger = logger;
    }

    /// <summary>The key to sign with now: the one derived from Data Protection's default key; null when it has no usable secret.</summary>
    public ClickKey? Signing()
    {
        var ring = _ring.GetCurrentKeyRing();
        var derived = _derived;
        if (!ReferenceEquals(derived.Ring, ring))
        {
            // The key ring was reloaded (a new default key, a revocation): derive again from the keys it now holds.
            derived = Refresh(ring, force: true);
        }
        else if (Find(derived, ring.DefaultKeyId) is null)
        {
            derived = Refresh(ring, force: false);
        }

        return Find(derived, ring.DefaultKeyId);
    }

    /// <summary>The key a token names by its short id, when the ring holds it and it is not revoked.</summary>
    public ClickKey? Verifying(uint shortId)
    {
        var ring = _ring.GetCurrentKeyRing();
        var derived = _derived;
        if (!ReferenceEquals(derived.Ring, ring))
        {
            derived = Refresh(ring, force: true);
        }

        if (Find(derived, shortId) is { } key)
        {
            return key.IsRevoked ? null : key;
        }

        // An unknown id may be a key another instance created since this one last looked; looked for at most every
        // RefreshInterval, so tokens with made-up ids do not make every request read the key repository.
        derived = Refresh(ring, force: false);
        return Find(derived, shortId) is { IsRevoked: false } found ? found : null;
    }

    private Derived Refresh(IKeyRing ring, bool force)
    {
        lock (_refresh)
        {
            var now = Environment.TickCount64;
            if (!force && now - _lastRefresh < (long)RefreshInterval.TotalMilliseconds)
            {
                return _derived;
            }

            _lastRefresh = now;
            var known = _derived.Keys;
            var keys = new List<ClickKey>();
            foreach (var key in _keyManager.GetAllKeys())
            {
                var existing = known.FirstOrDefault(k => k.Id == key.KeyId);
                if (existing is not null && existing.IsRevoked == key.IsRevoked)
                {
                    keys.Add(existing);
                }
                else if (Derive(key) is { } derived)
                {
                    keys.Add(derived);
                }
            }

            _derived = new Derived(ring, [.. keys]);
            return _derived;
        }
    }

    private ClickKey? Derive(IKey key)
    {
        byte[]? secret = null;
        try
        {
            secret = MasterSecret(key);
            if (secret is null)
            {
                Log.KeyWithoutSecret(_logger, key.KeyId);
                return null;
            }

            return ClickKey.Derive(key.KeyId, secret, _application, key.IsRevoked);
        }
        catch (Exception ex) when (ex is CryptographicException or InvalidOperationException or FormatException or System.Xml.XmlException)
        {
            // A key whose descriptor cannot be read here (encrypted at rest with a certificate this instance lacks).
            Log.KeyWithoutSecret(_logger, key.KeyId);
            return null;
        }
        finally
        {
            if (secret is not null)
            {
                CryptographicOperations.ZeroMemory(secret);
            }
        }
    }

    /// <summary>
    /// The master secret of a key, as its descriptor exports it (every built-in descriptor writes it as
    /// <c>masterKey/value</c>); null for a descriptor that keeps its secret elsewhere, which cannot sign clicks.
    /// </summary>
    private static byte[]? MasterSecret(IKey key)
    {
        var element = key.Descriptor.ExportToXml().SerializedDescriptorElement;
        var value = element.Descendants().FirstOrDefault(e => e.Name.LocalName == "masterKey")?
            .Elements().FirstOrDefault(e => e.Name.LocalName == "value");
        return value is null || string.IsNullOrWhiteSpace(value.Value) ? null : Convert.FromBase64String(value.Value);
    }

    private static ClickKey? Find(Derived derived, Guid id)
    {
        foreach (var key in derived.Keys)
        {
            if (key.Id == id)
            {
                return key;
            }
        }

        return null;
    }

    private static ClickKey? Find(Derived derived, uint shortId)
    {
        foreach (var key in derived.Keys)
        {
            if (key.ShortId == shortId)
            {
                return key;
            }
        }

        return null;
    }

    private sealed record Derived(IKeyRing? Ring, ClickKey[] Keys);
}
