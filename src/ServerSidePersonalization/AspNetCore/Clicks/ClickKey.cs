using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ServerSidePersonalization.AspNetCore.Clicks;

/// <summary>
/// One signing key: an HMAC-SHA256 key for tokens and another for the owner hashes, both derived from one Data
/// Protection key, and the short id (the first four bytes of that key's id) a token names it by.
/// </summary>
internal sealed class ClickKey
{
    private ClickKey(Guid id, byte[] mac, byte[] owner, bool isRevoked)
    {
        Id = id;
        Mac = mac;
        Owner = owner;
        IsRevoked = isRevoked;
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        ShortId = BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public Guid Id { get; }

    public uint ShortId { get; }

    public bool IsRevoked { get; }

    /// <summary>Signs tokens.</summary>
    public byte[] Mac { get; }

    /// <summary>Hashes the ids of the user a link is rendered for (see <see cref="ClickOwner"/>).</summary>
    public byte[] Owner { get; }

    /// <summary>The keys of Data Protection key <paramref name="id"/> for the app named <paramref name="application"/>.</summary>
    public static ClickKey Derive(Guid id, ReadOnlySpan<byte> secret, string application, bool isRevoked)
    {
        Span<byte> salt = stackalloc byte[16];
        id.TryWriteBytes(salt);
        var mac = new byte[32];
        var owner = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, mac, salt, Info("ServerSidePersonalization.Clicks.v2.Token", application));
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, owner, salt, Info("ServerSidePersonalization.Clicks.v2.Owner", application));
        return new ClickKey(id, mac, owner, isRevoked);
    }

    private static byte[] Info(string purpose, string application) => Encoding.UTF8.GetBytes(purpose + "\n" + application);
}
