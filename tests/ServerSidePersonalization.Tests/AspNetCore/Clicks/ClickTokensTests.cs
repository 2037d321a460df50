using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.AspNetCore.Clicks;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Tests.AspNetCore.Clicks;

public sealed class ClickTokensTests
{
    private const string Context = """{"cid":"65eae5738ea5032b0ef60138_F_T_WP_AB_2_P_0_AU_hero","moe_variation_id":"2","nested":{"a":[1,2.50,"x\u00e9"]}}""";

    private readonly EphemeralDataProtectionProvider _dataProtection = new();

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

    public static TheoryData<string> NotAClickToken =>
    [
        "{}",
        "[]",
        "null",
        "\"hero\"",
        "42",
        """{"k":"hero"}""",
        """{"k":"hero","v":"Local"}""",
        """{"v":"Local","u":"/x"}""",
        """{"k":"","v":"Local","u":"/x"}""",
        """{"k":"bad key","v":"Local","u":"/x"}""",
        """{"k":"hero","v":"","u":"/x"}""",
        """{"k":"hero","v":"Local","u":""}""",
        """{"k":1,"v":"Local","u":"/x"}""",
        """{"k":"hero","v":"Local","u":"/x","c":""",
        """{"k":"hero","v":"Local","u":"/x","o":"0123456789abcdef0123456789abcdef"}""",
        """{"k":"hero","v":"Local","u":"/x","o":[1]}""",
        "not json at all",
    ];

    [Fact]
    public void Protect_ThenTryUnprotect_RoundTripsEveryField()
    {
        var tokens = Create();
        var sent = Token();

        Assert.True(tokens.TryUnprotect(tokens.Protect(sent), out var opened));

        Assert.Equal("hero", opened.ExperienceKey);
        Assert.Equal("MoEngage", opened.Vendor);
        Assert.Equal(Context, opened.Context.GetRawText());
        Assert.Equal("2", opened.VariationId);
        Assert.Equal("decision-1", opened.DecisionId);
        Assert.Equal("cta", opened.ElementId);
        Assert.Equal("slot-9", opened.SlotId);
        Assert.Equal("/landing/hero?a=1&b=%C3%A9", opened.Target);
        var attribution = opened.ToAttribution();
        Assert.Equal("MoEngage", attribution.Vendor);
        Assert.Equal(Context, attribution.Context.GetRawText());
    }

    [Fact]
    public void Protect_AttributionWithoutContextOrOptionalFields_RoundTrips()
    {
        var tokens = Create();
        var sent = ClickToken.Create("hero", new ExperienceAttribution("Local", default), null, null, "/x", VisitorIdentity.Anonymous);

        Assert.True(tokens.TryUnprotect(tokens.Protect(sent), out var opened));

        Assert.Equal(JsonValueKind.Undefined, opened.Context.ValueKind);
        Assert.Equal(JsonValueKind.Undefined, opened.ToAttribution().Context.ValueKind);
        Assert.Null(opened.ElementId);
        Assert.Null(opened.SlotId);
        Assert.Null(opened.VariationId);
        Assert.Equal("/x", opened.Target);
    }

    [Fact]
    public void Protect_Owner_SealsSaltedHashesOfTheVisitorAndCustomerIdsNeverTheIds()
    {
        var tokens = Create();
        var owner = new VisitorIdentity("customer-raw-1", "visitor-raw-1");

        using var json = Open(tokens.Protect(Token(owner)));

        var hashes = json.RootElement.GetProperty("o").EnumerateArray().Select(h => h.GetString()!).ToList();
        Assert.Equal([ClickOwner.Hash("visitor-raw-1"), ClickOwner.Hash("customer-raw-1")], hashes);
        Assert.All(hashes, h => Assert.Matches("^[0-9a-f]{32}$", h));
        Assert.DoesNotContain(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("visitor-raw-1"u8))[..32], hashes);
        Assert.DoesNotContain("raw-1", json.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.True(tokens.TryUnprotect(tokens.Protect(Token(owner)), out var opened));
        Assert.Equal(hashes, opened.Owner);
    }

    [Fact]
    public void Protect_OwnerWithoutIds_LeavesTheOwnerOut()
    {
        var tokens = Create();

        using var json = Open(tokens.Protect(Token(VisitorIdentity.Anonymous)));

        Assert.False(json.RootElement.TryGetProperty("o", out _));
        Assert.True(tokens.TryUnprotect(tokens.Protect(Token(VisitorIdentity.Anonymous)), out var opened));
        Assert.Null(opened.Owner);
    }

    [Fact]
    public void Protect_Owner_LengthensTheTokenByABoundedAmountWhateverTheIdsLength()
    {
        var tokens = Create();
        int Length(string? customer, string? visitor) => tokens.Protect(Token(new VisitorIdentity(customer, visitor))).Length;

        var anonymous = Length(null, null);
        var visitor = Length(null, "v");
        var signedIn = Length("c", "v");

        // 32 hex characters per id whatever its length: 41 JSON bytes for a visitor, 76 when signed in, plus up to one
        // cipher block of padding, base64url-encoded.
        Assert.Equal(visitor, Length(null, new string('v', 1024)));
        Assert.Equal(signedIn, Length(new string('c', 1024), new string('v', 1024)));
        Assert.InRange(visitor - anonymous, 1, 76);
        Assert.InRange(signedIn - anonymous, visitor - anonymous, 122);
    }

    [Fact]
    public void Protect_Text_IsBase64UrlThatNeedsNoEscapingInAQuery()
    {
        var text = Create().Protect(Token());

        Assert.Matches("^[A-Za-z0-9_-]+$", text);
        Assert.Equal(text, Uri.EscapeDataString(text));
    }

    [Fact]
    public void Protect_ExpiresAfterTheConfiguredLifetime()
    {
        var options = new PersonalizationOptions();
        options.Clicks.TokenLifetime = TimeSpan.FromDays(3);
        var text = new ClickTokens(_dataProtection, Options.Create(options)).Protect(Token());

        _dataProtection.CreateProtector(ClickTokens.Purpose).ToTimeLimitedDataProtector()
            .Unprotect(Base64Url.DecodeFromChars(text), out var expiration);

        Assert.InRange(expiration - DateTimeOffset.UtcNow, TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(3));
    }

    [Fact]
    public void Protect_DefaultLifetime_IsSevenDays()
    {
        var text = Create().Protect(Token());

        _dataProtection.CreateProtector(ClickTokens.Purpose).ToTimeLimitedDataProtector()
            .Unprotect(Base64Url.DecodeFromChars(text), out var expiration);

        Assert.InRange(expiration - DateTimeOffset.UtcNow, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
    }

    [Fact]
    public void TryUnprotect_AnyOneCharacterChanged_False()
    {
        var tokens = Create();
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
        var tokens = Create();
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
        var tokens = Create();
        var text = tokens.Protect(Token());

        Assert.False(tokens.TryUnprotect(text + suffix, out _));
        Assert.False(tokens.TryUnprotect(suffix + text, out _));
        Assert.False(tokens.TryUnprotect(text.Insert(text.Length / 2, suffix), out _));
    }

    [Fact]
    public void TryUnprotect_LastCharacterWithUnusedBitsSet_False()
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var tokens = Create();

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
        var tokens = Create();
        using var context = JsonDocument.Parse("null");
        var sent = ClickToken.Create("hero", new ExperienceAttribution("Local", context.RootElement.Clone()), null, null, "/x", VisitorIdentity.Anonymous);

        Assert.True(tokens.TryUnprotect(tokens.Protect(sent), out var opened));
        Assert.Equal(JsonValueKind.Null, opened.Context.ValueKind);
    }

    [Fact]
    public void TryUnprotect_StandardBase64Spelling_False()
    {
        var tokens = Create();
        var bytes = Base64Url.DecodeFromChars(tokens.Protect(Token()));

        Assert.False(tokens.TryUnprotect(Convert.ToBase64String(bytes), out _));
    }

    [Fact]
    public void TryUnprotect_Expired_False_NotYetExpired_True()
    {
        var tokens = Create();

        Assert.False(tokens.TryUnprotect(tokens.Protect(Token(), DateTimeOffset.UtcNow.AddSeconds(-1)), out _));
        Assert.False(tokens.TryUnprotect(tokens.Protect(Token(), DateTimeOffset.UtcNow.AddDays(-8)), out _));
        Assert.True(tokens.TryUnprotect(tokens.Protect(Token(), DateTimeOffset.UtcNow.AddMinutes(1)), out _));
    }

    [Theory]
    [InlineData("ServerSidePersonalization.Clicks.v2")]
    [InlineData("ServerSidePersonalization.Other")]
    [InlineData("Microsoft.AspNetCore.Antiforgery.AntiforgeryToken.v1")]
    public void TryUnprotect_OtherPurpose_False(string purpose)
    {
        var tokens = Create();
        var json = JsonSerializer.SerializeToUtf8Bytes(Token(), ClickJsonContext.Default.ClickToken);
        var foreign = _dataProtection.CreateProtector(purpose).ToTimeLimitedDataProtector().Protect(json, DateTimeOffset.UtcNow.AddDays(1));

        Assert.False(tokens.TryUnprotect(Base64Url.EncodeToString(foreign), out _));
    }

    [Fact]
    public void TryUnprotect_SamePurposeWithoutExpiry_False()
    {
        var tokens = Create();
        var json = JsonSerializer.SerializeToUtf8Bytes(Token(), ClickJsonContext.Default.ClickToken);

        Assert.False(tokens.TryUnprotect(Base64Url.EncodeToString(_dataProtection.CreateProtector(ClickTokens.Purpose).Protect(json)), out _));
    }

    [Fact]
    public void TryUnprotect_AnotherKeyRing_False()
    {
        var mine = Create();
        var theirs = new ClickTokens(new EphemeralDataProtectionProvider(), Options.Create(new PersonalizationOptions()));
        var text = theirs.Protect(Token());

        Assert.True(theirs.TryUnprotect(text, out _));
        Assert.False(mine.TryUnprotect(text, out _));
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void TryUnprotect_Garbage_False(string? text) => Assert.False(Create().TryUnprotect(text, out _));

    [Theory]
    [InlineData(ClickTokens.MaxLength)]
    [InlineData(ClickTokens.MaxLength + 4)]
    [InlineData(1_000_000)]
    public void TryUnprotect_Huge_False(int length) => Assert.False(Create().TryUnprotect(new string('A', length), out _));

    [Theory]
    [MemberData(nameof(NotAClickToken))]
    public void TryUnprotect_SealedJsonThatIsNotAClickToken_False(string json)
    {
        var sealedJson = _dataProtection.CreateProtector(ClickTokens.Purpose).ToTimeLimitedDataProtector()
            .Protect(Encoding.UTF8.GetBytes(json), DateTimeOffset.UtcNow.AddDays(1));

        Assert.False(Create().TryUnprotect(Base64Url.EncodeToString(sealedJson), out _));
    }

    [Fact]
    public void TryUnprotect_SealedBytesThatAreNotUtf8_False()
    {
        var sealedBytes = _dataProtection.CreateProtector(ClickTokens.Purpose).ToTimeLimitedDataProtector()
            .Protect([0xFF, 0xFE, 0x00, 0x7B], DateTimeOffset.UtcNow.AddDays(1));

        Assert.False(Create().TryUnprotect(Base64Url.EncodeToString(sealedBytes), out _));
    }

    private static ClickToken Token(VisitorIdentity? owner = null)
    {
        using var context = JsonDocument.Parse(Context);
        var attribution = new ExperienceAttribution("MoEngage", context.RootElement.Clone(), "2", "decision-1");
        return ClickToken.Create("hero", attribution, "cta", "slot-9", "/landing/hero?a=1&b=%C3%A9", owner ?? VisitorIdentity.Anonymous);
    }

    /// <summary>The JSON sealed in <paramref name="text"/>, opened with the protector directly.</summary>
    private JsonDocument Open(string text) =>
        JsonDocument.Parse(_dataProtection.CreateProtector(ClickTokens.Purpose).ToTimeLimitedDataProtector()
            .Unprotect(Base64Url.DecodeFromChars(text), out _));

    private ClickTokens Create() => new(_dataProtection, Options.Create(new PersonalizationOptions()));
}
