using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ServerSidePersonalization.Vendors.Local;

/// <summary>
/// Deterministic bucketing: the SHA-256 of (experience key, user id) picks a point in [0, 1), and the variations'
/// weights divide that interval in file order. The same visitor gets the same variation in every process and on
/// every platform; changing one experience's weights does not move visitors of another.
/// </summary>
internal static class LocalBucketing
{
    public static double Point(string experienceKey, string userId)
    {
        var byteCount = Encoding.UTF8.GetByteCount(experienceKey) + 1 + Encoding.UTF8.GetByteCount(userId);
        var buffer = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        var written = Encoding.UTF8.GetBytes(experienceKey, buffer);
        buffer[written++] = (byte)'\n';
        Encoding.UTF8.GetBytes(userId, buffer[written..]);

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer, hash);

        // 53 random bits make a double in [0, 1) with no rounding bias.
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }

    public static LocalVariation Choose(LocalExperience experience, double point)
    {
        var total = 0.0;
        foreach (var variation in experience.Variations)
        {
            total += variation.Weight;
        }

        var target = point * total;
        var cumulative = 0.0;
        LocalVariation? last = null;
        foreach (var variation in experience.Variations)
        {
            if (variation.Weight <= 0)
            {
                continue;
            }

            cumulative += variation.Weight;
            last = variation;
            if (target < cumulative)
            {
                return variation;
            }
        }

        return last!;
    }
}
