using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;
using ServerSidePersonalization.AspNetCore.Clicks;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Tests.Infrastructure;
using ServerSidePersonalization.Tests.Vendors.MoEngage;

namespace ServerSidePersonalization.Tests.AspNetCore.Clicks;

public sealed class ClickTokensTests : IDisposable
{
    private const string Context = """{"cid":"65eae5738ea5032b0ef60138_F_T_WP_AB_2_P_0_AU_hero","moe_variation_id":"2","nested":{"a":[1,2.50,"x\u00e9"]}}""";

    private readonly TestKeyRing _ring = new();

    public static TheoryData<string?> Garbage =>
    [
        null,
        "",
        " ",
        "not a token",
        "AAAA",
        "AA==",
        "%%%%",
        "t=abc",
        "\0",
        "\u00e9\u00e9\u00e9\u00e9",
    ];

    /// <summary>Fields that are signed with the right key but are not a click token.</summary>
    public static TheoryData<string> NotAClickToken =>
    [
        "nothing",
        "key only",
        "empty key",
        "invalid key",
        "empty vendor",
        "empty target",
        "context that is not JSON",
        "context with trailing bytes",
        "three owners",
        "owner hash cut short",
        "invalid action",
        "duplicate field",
        "bytes that are not UTF-8",
        "varint longer than three bytes",
        "a byte after the end",
    ];

    public void Dispose() => _ring.Dispose();

    [Fact]
    public void Protect_ThenTryUnprotect_RoundTripsEveryField()
    {
        var tokens = _ring.Tokens();
        var sent = Token() with { Action = "ActivateOffer", Fields = new Dictionary<string, string> { ["OfferId"] = "o-1\u00e9" } };

        Assert.True(tokens.TryUnprotect(tokens.Protect(sent), out var opened));

        Assert.Equal("hero", opened.ExperienceKey);
        Assert.Equal("MoEngage", opened.Vendor);
        Assert.Equal(Context, opened.Context.GetRawText());
        Assert.Equal("2", opened.VariationId);
        Assert.Equal("decision-1", opened.DecisionId);
        Assert.Equal("cta", opened.ElementId);
        Assert.Equal("slot-9", opened.SlotId);
        Assert.Equal("/landing/hero?a=1&b=%C3%A9", opened.Target);
        Assert.Equal("ActivateOffer", opened.Action);
        Assert.Equal("o-1\u00e9", Assert.Single(opened.Fields!).Value);
        var attribution = opened.ToAttribution();
        Assert.Equal("MoEngage", attribution.Vendor);
        Assert.Equal(Context, attribution.Context.GetRawText());
    }

    [Fact]
    public void Protect_AttributionWithoutContextOrOptionalFields_RoundTrips()
    {
        var tokens = _ring.Tokens();
        var sent = ClickToken.Create("hero", new ExperienceAttribution("Local", default), null, null, "/x", VisitorIdentity.Anonymous);

        Assert.True(tokens.TryUnprotect(tokens.Protect(sent), out var opened));

        Assert.Equal(JsonValueKind.Undefined, opened.Context.ValueKind);
        Assert.Equal(JsonValueKind.Undefined, opened.ToAttribution().Context.ValueKind);
        Assert.Null(opened.ElementId);
        Assert.Null(opened.SlotId);
        Assert.Null(opened.VariationId);
        Assert.Null(opened.Action);
        Assert.Null(opened.Fields);
        Assert.Equal("/x", opened.Target);
    }

    [Fact]
    public void Protect_TypicalMoEngageAttribution_IsTheContextPlusAtMost90BytesBase64Url()
    {
        var context = MoEngageStub.Context("hero").ToJsonString();
        using var json = JsonDocument.Parse(context);
        var attribution = new ExperienceAttribution("MoEngage", json.RootElement.Clone(), "2");
        var token = ClickToken.Create("hero", attribution, "cta", null, "/landing/hero", new VisitorIdentity(null, "0123456789abcdef0123456789abcdef"));

        var text = _ring.Tokens().Protect(token);

        // The context travels verbatim (the vendor gets back what it sent); the rest is 82 bytes here: version, key id and
        // expiry 9, signature 16, key 5, vendor 9, element 4, target 14, variation 2, owner hash 17, lengths 6. The
        // Data Protection token of version 1 was 560 characters for the same link.
        var overhead = Base64Url.DecodeFromChars(text).Length - Encoding.UTF8.GetByteCount(context);
        Assert.InRange(overhead, 1, 90);
        Assert.True(text.Length <= 4 * (Encoding.UTF8.GetByteCount(context) + 90) / 3 + 1, $"{text.Length} characters");
    }

    [Fact]
    public void Protect_Owner_CarriesKeyedHashesOfTheVisitorAndCustomerIdsNeverTheIds()
    {
        var tokens = _ring.Tokens();
        var owner = new VisitorIdentity("customer@example.com", "visitor-raw-1");

        var bytes = Base64Url.DecodeFromChars(tokens.Protect(Token(owner)));

        Assert.Equal(-1, bytes.AsSpan().IndexOf("raw-1"u8));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("example.com"u8));
        foreach (var id in new[] { "visitor-raw-1", "customer@example.com" })
        {
            // Neither a plain nor a publicly salted hash: one could try candidate emails against those.
            var plain = SHA256.HashData(Encoding.UTF8.GetBytes(id)).AsSpan(0, ClickOwner.HashBytes).ToArray();
            var salted = HMACSHA256.HashData("ServerSidePersonalization.Clicks.Owner.v1"u8, Encoding.UTF8.GetBytes(id)).AsSpan(0, ClickOwner.HashBytes).ToArray();
            Assert.Equal(-1, bytes.AsSpan().IndexOf(plain));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(salted));
        }

        Assert.True(tokens.TryUnprotect(tokens.Protect(Token(owner)), out var opened));
        Assert.Equal(2, opened.Owner!.Count);
        Assert.True(ClickOwner.IsOwnedBy(opened.Owner, new VisitorIdentity(null, "visitor-raw-1")));
        Assert.True(ClickOwner.IsOwnedBy(opened.Owner, new VisitorIdentity("customer@example.com", "visitor-2")));
        Assert.False(ClickOwner.IsOwnedBy(opened.Owner, new VisitorIdentity(null, "visitor-2")));
    }

    [Fact]
    public void Protect_OwnerWithoutIds_LeavesTheOwnerOut()
    {
        var tokens = _ring.Tokens();

        Assert.True(tokens.TryUnprotect(tokens.Protect(Token(VisitorIdentity.Anonymous)), out var opened));

        Assert.Null(opened.Owner);
    }

    [Fact]
    public void Protect_Owner_LengthensTheTokenBy16BytesPerIdWhateverTheIdsLength()
    {
        var tokens = _ring.Tokens();
        int Length(string? customer, string? visitor) => Base64Url.DecodeFromChars(tokens.Protect(Token(new VisitorIdentity(customer, visitor)))).Length;

        var anonymous = Length(null, null);

        Assert.Equal(anonymous + 16, Length(null, "v"));
        Assert.Equal(anonymous + 16, Length(null, new string('v', 1024)));
        Assert.Equal(anonymous + 32, Length("c", "v"));
        Assert.Equal(anonymous + 32, Length(new string('c', 1024), new string('v', 1024)));
    }

    [Fact]
    public void Protect_Text_IsBase64UrlThatNeedsNoEscapingInAQuery()
    {
        var text = _ring.Tokens().Protect(Token());

        Assert.Matches("^[A-Za-z0-9_-]+$", text);
        Assert.Equal(text, Uri.EscapeDataString(text));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void Protect_ExpiresAfterTheConfiguredLifetimeOnTheAppsClock(int days)
    {
        var clock = new FakeTimeProvider(ObservedClock.DefaultStart);
        var tokens = days == 7 ? _ring.Tokens(clock) : _ring.Tokens(clock, TimeSpan.FromDays(days));
        var text = tokens.Protect(Token());

        clock.Advance(TimeSpan.FromDays(days) - TimeSpan.FromSeconds(1));
        Assert.True(tokens.TryUnprotect(text, out _));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(tokens.TryUnprotect(text, out _));
    }

    [Fact]
    public void ForLink_SameExperienceLinkAndUser_ReusesTheToken()
    {
        var tokens = _ring.Tokens();
        var experience = Experience();
        var visitor = new VisitorIdentity(null, "visitor-a");

        var first = tokens.ForLink(experience, "cta", null, "/sale", visitor, null);

        Assert.Same(first, tokens.ForLink(experience, "cta", null, "/sale", visitor, null));
        Assert.True(tokens.TryUnprotect(first, out var opened));
        Assert.Equal("/sale", opened.Target);
        Assert.True(ClickOwner.IsOwnedBy(opened.Owner, visitor));
    }

    [Fact]
    public void ForLink_OneExperienceSharedByAThousandUsers_EachUsersTokenReused()
    {
        // The Local provider serves one instance per variation to everyone bucketed into it.
        var tokens = _ring.Tokens();
        var experience = Experience();
        var visitors = Enumerable.Range(0, 1000).Select(i => new VisitorIdentity(null, $"visitor-{i}")).ToList();

        var first = visitors.Select(v => tokens.ForLink(experience, "cta", null, "/sale", v, null)).ToList();
        var second = visitors.Select(v => tokens.ForLink(experience, "cta", null, "/sale", v, null)).ToList();

        Assert.All(Enumerable.Range(0, visitors.Count), i => Assert.Same(first[i], second[i]));
    }

    [Theory]
    [InlineData("element")]
    [InlineData("slot")]
    [InlineData("target")]
    [InlineData("action")]
    [InlineData("visitor")]
    [InlineData("customer")]
    [InlineData("experience")]
    public void ForLink_AnythingOfTheLinkDiffers_AnotherToken(string difference)
    {
        var tokens = _ring.Tokens();
        var experience = Experience();
        var visitor = new VisitorIdentity(null, "visitor-a");
        var first = tokens.ForLink(experience, "cta", null, "/sale", visitor, null);

        var other = difference switch
        {
            "element" => tokens.ForLink(experience, "cta-2", null, "/sale", visitor, null),
            "slot" => tokens.ForLink(experience, "cta", "slot-1", "/sale", visitor, null),
            "target" => tokens.ForLink(experience, "cta", null, "/sale?x=1", visitor, null),
            "action" => tokens.ForLink(experience, "cta", null, "/sale", visitor, "ActivateOffer"),
            "visitor" => tokens.ForLink(experience, "cta", null, "/sale", new VisitorIdentity(null, "visitor-b"), null),
            "customer" => tokens.ForLink(experience, "cta", null, "/sale", new VisitorIdentity("customer-a", "visitor-a"), null),
            _ => tokens.ForLink(Experience(), "cta", null, "/sale", visitor, null),
        };

        Assert.NotNull(other);
        Assert.True(tokens.TryUnprotect(other, out _));
        if (difference == "experience")
        {
            // Another entry (another fetch) mints its own token; the same content and expiry make the same text.
            Assert.NotSame(first, other);
        }
        else
        {
            Assert.NotEqual(first, other);
        }
    }

    [Fact]
    public void ForLink_HalfTheLifetimeGone_MintsATokenValidForTheWholeLifetimeAgain()
    {
        var clock = new FakeTimeProvider(ObservedClock.DefaultStart);
        var tokens = _ring.Tokens(clock, TimeSpan.FromDays(2));
        var experience = Experience();
        var visitor = new VisitorIdentity(null, "visitor-a");
        var first = tokens.ForLink(experience, "cta", null, "/sale", visitor, null);

        clock.Advance(TimeSpan.FromDays(1));
        Assert.Same(first, tokens.ForLink(experience, "cta", null, "/sale", visitor, null));
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = tokens.ForLink(experience, "cta", null, "/sale", visitor, null);

        Assert.NotEqual(first, second);
        clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromSeconds(1));
        Assert.False(tokens.TryUnprotect(first, out _));
        Assert.True(tokens.TryUnprotect(second, out _));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(tokens.TryUnprotect(second, out _));
    }

    [Fact]
    public void TryUnprotect_AnyOneCharacterChanged_False()
    {
        var tokens = _ring.Tokens();
        var text = tokens.Protect(Token());

        for (var i = 0; i < text.Length; i++)
        {
            foreach (var replacement in new[] { 'A', 'B', '-', '_' })
            {
                if (text[i] == replacement)
                {
                    continue;
                }

                var tampered = string.Concat(text.AsSpan(0, i), [replacement], text.AsSpan(i + 1));
                Assert.False(tokens.TryUnprotect(tampered, out _), $"changed character {i} to '{replacement}'");
            }
        }
    }

    [Fact]
    public void TryUnprotect_Truncated_False()
    {
        var tokens = _ring.Tokens();
        var text = tokens.Protect(Token());

        for (var length = 0; length < text.Length; length++)
        {
            Assert.False(tokens.TryUnprotect(text[..length], out _), $"truncated to {length} characters");
        }
    }

    [Theory]
    [InlineData("A")]
    [InlineData("=")]
    [InlineData("==")]
    [InlineData(" ")]
    [InlineData("\n")]
    [InlineData("%3D")]
    public void TryUnprotect_Extended_False(string suffix)
    {
        var tokens = _ring.Tokens();
        var text = tokens.Protect(Token());

        Assert.False(tokens.TryUnprotect(text + suffix, out _));
        Assert.False(tokens.TryUnprotect(suffix + text, out _));
        Assert.False(tokens.TryUnprotect(text.Insert(text.Length / 2, suffix), out _));
    }

    [Fact]
    public void TryUnprotect_LastCharacterWithUnusedBitsSet_False()
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var tokens = _ring.Tokens();

        // A token whose length leaves unused bits in its last character (a length that is not a multiple of 4).
        var text = Enumerable.Range(1, 12)
            .Select(n => tokens.Protect(ClickToken.Create("hero", new ExperienceAttribution("Local", default), new string('e', n), null, "/x", VisitorIdentity.Anonymous)))
            .First(t => t.Length % 4 != 0);
        var last = Alphabet.IndexOf(text[^1], StringComparison.Ordinal);
        var respelled = text[..^1] + Alphabet[last | 1];
        if (respelled == text)
        {
            respelled = text[..^1] + Alphabet[last & ~1];
        }

        Assert.True(tokens.TryUnprotect(text, out _));
        Assert.False(tokens.TryUnprotect(respelled, out _));
    }

    [Fact]
    public void Protect_ContextThatIsJsonNull_RoundTripsAsNull()
    {
        var tokens = _ring.Tokens();
        using var context = JsonDocument.Parse("null");
        var sent = ClickToken.Create("hero", new ExperienceAttribution("Local", context.RootElement.Clone()), null, null, "/x", VisitorIdentity.Anonymous);

        Assert.True(tokens.TryUnprotect(tokens.Protect(sent), out var opened));
        Assert.Equal(JsonValueKind.Null, opened.Context.ValueKind);
    }

    [Fact]
    public void TryUnprotect_StandardBase64Spelling_False()
    {
        var tokens = _ring.Tokens();
        var bytes = Base64Url.DecodeFromChars(tokens.Protect(Token()));

        Assert.False(tokens.TryUnprotect(Convert.ToBase64String(bytes), out _));
    }

    [Fact]
    public void TryUnprotect_Expired_False_NotYetExpired_True()
    {
        var clock = new FakeTimeProvider(ObservedClock.DefaultStart);
        var tokens = _ring.Tokens(clock);
        var now = clock.GetUtcNow();

        Assert.False(tokens.TryUnprotect(tokens.Protect(Token(), now.AddSeconds(-1)), out _));
        Assert.False(tokens.TryUnprotect(tokens.Protect(Token(), now), out _));
        Assert.False(tokens.TryUnprotect(tokens.Protect(Token(), now.AddDays(-8)), out _));
        Assert.True(tokens.TryUnprotect(tokens.Protect(Token(), now.AddSeconds(1)), out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(255)]
    public void TryUnprotect_OtherVersionSignedWithTheRightKey_False(byte version)
    {
        var tokens = _ring.Tokens();
        var bytes = Base64Url.DecodeFromChars(tokens.Protect(Token()));
        bytes[0] = version;

        Assert.False(tokens.TryUnprotect(Resign(bytes), out _));
        Assert.True(tokens.TryUnprotect(Resign(Base64Url.DecodeFromChars(tokens.Protect(Token()))), out _), "a re-signed token of the right version verifies");
    }

    [Theory]
    [InlineData("ServerSidePersonalization.Clicks.v1")]
    [InlineData("ServerSidePersonalization.Other")]
    public void TryUnprotect_DataProtectionPayloadOfTheSameKeyRing_False(string purpose)
    {
        var json = """{"k":"hero","v":"Local","u":"/x"}"""u8.ToArray();
        var protector = _ring.DataProtection.CreateProtector(purpose);

        Assert.False(_ring.Tokens().TryUnprotect(Base64Url.EncodeToString(protector.Protect(json)), out _));
        Assert.False(_ring.Tokens().TryUnprotect(Base64Url.EncodeToString(protector.ToTimeLimitedDataProtector().Protect(json, DateTimeOffset.UtcNow.AddDays(1))), out _));
    }

    [Fact]
    public void TryUnprotect_AnotherKeyRing_False()
    {
        using var other = new TestKeyRing();
        var mine = _ring.Tokens();
        var theirs = other.Tokens();
        var text = theirs.Protect(Token());

        Assert.True(theirs.TryUnprotect(text, out _));
        Assert.False(mine.TryUnprotect(text, out _));
    }

    [Fact]
    public void TryUnprotect_AnotherAppSharingTheKeyRepository_False()
    {
        using var other = new TestKeyRing(_ring.Repository, application: "another-app");
        var text = other.Tokens().Protect(Token());

        Assert.True(other.Tokens().TryUnprotect(text, out _));
        Assert.False(_ring.Tokens().TryUnprotect(text, out _));
    }

    [Fact]
    public void TryUnprotect_AnotherInstanceSharingTheKeyRing_True()
    {
        using var other = new TestKeyRing(_ring.Repository);
        var text = _ring.Tokens().Protect(Token());

        Assert.True(other.Tokens().TryUnprotect(text, out var opened));
        Assert.Equal("hero", opened.ExperienceKey);
    }

    [Fact]
    public void TryUnprotect_SignedByAnOlderKeyStillInTheRing_True_NewTokensUseTheNewKey()
    {
        var old = _ring.Tokens().Protect(Token());
        var rotated = _ring.Rotate();

        // An instance that loads the ring after the rotation (Data Protection refreshes a running one in the background).
        using var later = new TestKeyRing(_ring.Repository);
        var tokens = later.Tokens();
        var fresh = tokens.Protect(Token());

        Assert.True(tokens.TryUnprotect(old, out _));
        Assert.True(tokens.TryUnprotect(fresh, out _));
        Assert.Equal(KeyIdOf(rotated.KeyId), BinaryPrimitives.ReadUInt32BigEndian(Base64Url.DecodeFromChars(fresh).AsSpan(1)));
        Assert.NotEqual(KeyIdOf(rotated.KeyId), BinaryPrimitives.ReadUInt32BigEndian(Base64Url.DecodeFromChars(old).AsSpan(1)));
    }

    [Fact]
    public void TryUnprotect_SignedByARevokedKey_False()
    {
        var text = _ring.Tokens().Protect(Token());
        var key = Assert.Single(_ring.KeyManager.GetAllKeys());

        _ring.KeyManager.RevokeKey(key.KeyId, "test");

        using var later = new TestKeyRing(_ring.Repository);
        Assert.False(later.Tokens().TryUnprotect(text, out _));
        Assert.False(_ring.Tokens().TryUnprotect(text, out _));
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void TryUnprotect_Garbage_False(string? text) => Assert.False(_ring.Tokens().TryUnprotect(text, out _));

    [Theory]
    [InlineData(ClickTokens.MaxLength + 1)]
    [InlineData(ClickTokens.MaxLength + 4)]
    [InlineData(1_000_000)]
    public void TryUnprotect_Huge_False(int length) => Assert.False(_ring.Tokens().TryUnprotect(new string('A', length), out _));

    [Fact]
    public void TryUnprotect_ValidTokenLongerThanMaxLength_False()
    {
        var tokens = _ring.Tokens();
        var text = tokens.Protect(ClickToken.Create("hero", new ExperienceAttribution("Local", default), new string('e', ClickTokens.MaxLength), null, "/x", VisitorIdentity.Anonymous));

        Assert.True(text.Length > ClickTokens.MaxLength);
        Assert.False(tokens.TryUnprotect(text, out _));
    }

    [Theory]
    [MemberData(nameof(NotAClickToken))]
    public void TryUnprotect_SignedFieldsThatAreNotAClickToken_False(string name)
    {
        static byte[] S(string text) => [(byte)Encoding.UTF8.GetByteCount(text), .. Encoding.UTF8.GetBytes(text)];
        static byte[] O(string text) => [(byte)(Encoding.UTF8.GetByteCount(text) + 1), .. Encoding.UTF8.GetBytes(text)];
        byte[] valid = [.. S("hero"), .. S("Local"), 0, 0, 0, 0, 0, .. S("/x"), 0, 0, 0];
        byte[] fields = name switch
        {
            "nothing" => [],
            "key only" => S("hero"),
            "empty key" => [.. S(""), .. valid[5..]],
            "invalid key" => [.. S("bad key"), .. valid[5..]],
            "empty vendor" => [.. S("hero"), .. S(""), .. valid[11..]],
            "empty target" => [.. valid[..16], .. S(""), 0, 0, 0],
            "context that is not JSON" => [.. S("hero"), .. S("Local"), .. O("{\"a\":"), .. valid[12..]],
            "context with trailing bytes" => [.. S("hero"), .. S("Local"), .. O("{} {}"), .. valid[12..]],
            "three owners" => [.. valid[..^2], 3, .. new byte[48], 0],
            "owner hash cut short" => [.. valid[..^2], 1, .. new byte[15]],
            "invalid action" => [.. valid[..^3], .. O("no spaces"), 0, 0],
            "duplicate field" => [.. valid[..^1], 2, .. S("f"), .. S("1"), .. S("F"), .. S("2")],
            "bytes that are not UTF-8" => [.. S("hero"), 3, 0xFF, 0xFE, 0x41, .. valid[11..]],
            "varint longer than three bytes" => [.. S("hero"), 0x85, 0x80, 0x80, 0x80, 0x00, .. valid[11..]],
            "a byte after the end" => [.. valid, 0],
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        var tokens = _ring.Tokens();
        var header = Base64Url.DecodeFromChars(tokens.Protect(Token()))[..ClickTokenFormat.HeaderBytes];

        Assert.True(tokens.TryUnprotect(Sign([.. header, .. valid]), out _), "the well-formed fields verify");
        Assert.False(tokens.TryUnprotect(Sign([.. header, .. fields]), out _));
    }

    private static uint KeyIdOf(Guid id) => BinaryPrimitives.ReadUInt32BigEndian(id.ToByteArray());

    /// <summary>Replaces the signature of <paramref name="token"/> (header and fields, then 16 bytes) with a valid one.</summary>
    private string Resign(byte[] token) => Sign(token[..^ClickTokenFormat.MacBytes]);

    private string Sign(byte[] signed)
    {
        var key = _ring.Keys().Signing()!;
        return Base64Url.EncodeToString([.. signed, .. HMACSHA256.HashData(key.Mac, signed).AsSpan(0, ClickTokenFormat.MacBytes)]);
    }

    private static Experience Experience()
    {
        using var context = JsonDocument.Parse(Context);
        return new Experience("hero", new Dictionary<string, ExperienceValue>(), new ExperienceAttribution("MoEngage", context.RootElement.Clone(), "2"));
    }

    private static ClickToken Token(VisitorIdentity? owner = null)
    {
        using var context = JsonDocument.Parse(Context);
        var attribution = new ExperienceAttribution("MoEngage", context.RootElement.Clone(), "2", "decision-1");
        return ClickToken.Create("hero", attribution, "cta", "slot-9", "/landing/hero?a=1&b=%C3%A9", owner ?? VisitorIdentity.Anonymous);
    }
}
