using System.Security.Cryptography;

namespace ServerSidePersonalization.Identity;

/// <summary>Makes the id of a new visitor cookie: 128 random bits as 32 lower-case hex characters.</summary>
internal class VisitorIdGenerator
{
    /// <summary>A new id from the cryptographic random number generator; tests substitute a seeded source.</summary>
    public virtual string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
