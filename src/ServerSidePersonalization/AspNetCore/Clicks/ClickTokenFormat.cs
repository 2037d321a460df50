using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ServerSidePersonalization.AspNetCore.Clicks;

/// <summary>
/// The bytes of a click token: a version byte, the signing key's short id (4 bytes), the expiry in Unix seconds
/// (4 bytes, big-endian), the fields, then the first 16 bytes of an HMAC-SHA256 over all that. A string is its UTF-8
/// length as a 7-bit varint and its bytes; an optional one stores length + 1, 0 meaning absent.
/// </summary>
internal static class ClickTokenFormat
{
    /// <summary>Bumped when the layout changes, so old links fail cleanly (version 1 was a Data Protection payload).</summary>
    public const byte Version = 2;

    public const int HeaderBytes = 1 + 4 + 4;

    /// <summary>128 bits of HMAC-SHA256.</summary>
    public const int MacBytes = 16;

    private const int MaxFields = 64;

    /// <summary>The most bytes <paramref name="token"/> can take, signature included.</summary>
    public static int MaxSize(ClickToken token)
    {
        var size = HeaderBytes + MacBytes + 1 + (ClickOwner.MaxIds * ClickOwner.HashBytes) + 5;
        size += MaxSize(token.ExperienceKey) + MaxSize(token.Vendor) + MaxSize(token.VariationId) + MaxSize(token.DecisionId)
            + MaxSize(token.ElementId) + MaxSize(token.SlotId) + MaxSize(token.Target) + MaxSize(token.Action);
        size += token.Context.ValueKind == JsonValueKind.Undefined ? 1 : 5 + JsonMarshal.GetRawUtf8Value(token.Context).Length;
        foreach (var (name, value) in token.Fields ?? Empty)
        {
            size += MaxSize(name) + MaxSize(value);
        }

        return size;
    }

    /// <summary>Writes the header and fields of <paramref name="token"/>; the caller appends the signature. Returns the bytes written.</summary>
    public static int Write(ClickToken token, uint keyId, uint expiry, ReadOnlySpan<byte> ownerKey, Span<byte> destination)
    {
        var writer = new Writer(destination);
        writer.Byte(Version);
        writer.UInt32(keyId);
        writer.UInt32(expiry);
        writer.String(token.ExperienceKey);
        writer.String(token.Vendor);
        if (token.Context.ValueKind == JsonValueKind.Undefined)
        {
            writer.Varint(0);
        }
        else
        {
            var raw = JsonMarshal.GetRawUtf8Value(token.Context);
            writer.Varint(raw.Length + 1);
            writer.Bytes(raw);
        }

        writer.Optional(token.VariationId);
        writer.Optional(token.DecisionId);
        writer.Optional(token.ElementId);
        writer.Optional(token.SlotId);
        writer.String(token.Target);
        writer.Optional(token.Action);
        var owners = token.Owner?.Count ?? 0;
        writer.Byte((byte)owners);
        token.Owner?.WriteHashes(ownerKey, writer.Take(owners * ClickOwner.HashBytes));
        writer.Varint(token.Fields?.Count ?? 0);
        foreach (var (name, value) in token.Fields ?? Empty)
        {
            writer.String(name);
            writer.String(value);
        }

        return writer.Position;
    }

    /// <summary>The version, key id and expiry; false when the bytes are too short to hold a header and a signature.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> bytes, out byte version, out uint keyId, out uint expiry)
    {
        if (bytes.Length < HeaderBytes + MacBytes)
        {
            (version, keyId, expiry) = (0, 0, 0);
            return false;
        }

        version = bytes[0];
        keyId = BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]);
        expiry = BinaryPrimitives.ReadUInt32BigEndian(bytes[5..]);
        return true;
    }

    /// <summary>The fields after the header (signature already checked and cut off); null when they do not parse to the end.</summary>
    public static ClickToken? ReadFields(ReadOnlySpan<byte> fields, byte[] ownerKey)
    {
        var reader = new Reader(fields);
        if (!reader.String(out var key) || !reader.String(out var vendor) || !reader.Varint(out var contextLength))
        {
            return null;
        }

        var context = default(JsonElement);
        if (contextLength > 0)
        {
            if (!reader.Bytes(contextLength - 1, out var raw) || !TryParse(raw, out context))
            {
                return null;
            }
        }

        if (!reader.Optional(out var variation) || !reader.Optional(out var decision) || !reader.Optional(out var element)
            || !reader.Optional(out var slot) || !reader.String(out var target) || !reader.Optional(out var action)
            || !reader.Bytes(1, out var ownerCount) || ownerCount[0] > ClickOwner.MaxIds
            || !reader.Bytes(ownerCount[0] * ClickOwner.HashBytes, out var hashes)
            || !reader.Varint(out var fieldCount) || fieldCount > MaxFields)
        {
            return null;
        }

        Dictionary<string, string>? extra = null;
        for (var i = 0; i < fieldCount; i++)
        {
            if (!reader.String(out var name) || !reader.String(out var value)
                || !(extra ??= new(fieldCount, StringComparer.OrdinalIgnoreCase)).TryAdd(name, value))
            {
                return null;
            }
        }

        if (!reader.AtEnd)
        {
            return null;
        }

        var owner = hashes.IsEmpty ? null : ClickOwner.FromHashes(hashes.ToArray(), ownerKey);
        return new ClickToken(key, vendor, context, variation, decision, element, slot, target, owner, action, extra);
    }

    private static Dictionary<string, string> Empty { get; } = [];

    private static int MaxSize(string? text) => 5 + (text is null ? 0 : Encoding.UTF8.GetMaxByteCount(text.Length));

    private static bool TryParse(ReadOnlySpan<byte> json, out JsonElement element)
    {
        element = default;
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!JsonElement.TryParseValue(ref reader, out var parsed) || parsed is not { } value || reader.BytesConsumed != json.Length)
            {
                return false;
            }

            element = value;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private ref struct Writer(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Position { get; private set; }

        public void Byte(byte value) => _destination[Position++] = value;

        public void UInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_destination[Position..], value);
            Position += 4;
        }

        public void Varint(int value)
        {
            var rest = (uint)value;
            while (rest >= 0x80)
            {
                Byte((byte)(rest | 0x80));
                rest >>= 7;
            }

            Byte((byte)rest);
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_destination[Position..]);
            Position += bytes.Length;
        }

        public Span<byte> Take(int length)
        {
            var taken = _destination.Slice(Position, length);
            Position += length;
            return taken;
        }

        public void String(string text) => Text(text, 0);

        public void Optional(string? text)
        {
            if (text is null)
            {
                Varint(0);
            }
            else
            {
                Text(text, 1);
            }
        }

        private void Text(string text, int offset)
        {
            var length = Encoding.UTF8.GetByteCount(text);
            Varint(length + offset);
            Position += Encoding.UTF8.GetBytes(text, _destination[Position..]);
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> source)
    {
        private ReadOnlySpan<byte> _rest = source;

        public readonly bool AtEnd => _rest.IsEmpty;

        /// <summary>At most three bytes (values below 2^21): nothing in a token of at most a few KB is longer.</summary>
        public bool Varint(out int value)
        {
            value = 0;
            for (var shift = 0; shift < 21; shift += 7)
            {
                if (_rest.IsEmpty)
                {
                    return false;
                }

                var next = _rest[0];
                _rest = _rest[1..];
                value |= (next & 0x7F) << shift;
                if (next < 0x80)
                {
                    return true;
                }
            }

            return false;
        }

        public bool Bytes(int length, out ReadOnlySpan<byte> bytes)
        {
            if (length < 0 || length > _rest.Length)
            {
                bytes = default;
                return false;
            }

            bytes = _rest[..length];
            _rest = _rest[length..];
            return true;
        }

        public bool String(out string text)
        {
            text = string.Empty;
            return Varint(out var length) && Utf8(length, out text);
        }

        public bool Optional(out string? text)
        {
            text = null;
            if (!Varint(out var length))
            {
                return false;
            }

            if (length == 0)
            {
                return true;
            }

            var ok = Utf8(length - 1, out var value);
            text = value;
            return ok;
        }

        private bool Utf8(int length, out string text)
        {
            text = string.Empty;
            if (!Bytes(length, out var bytes) || !System.Text.Unicode.Utf8.IsValid(bytes))
            {
                return false;
            }

            text = Encoding.UTF8.GetString(bytes);
            return true;
        }
    }
}
