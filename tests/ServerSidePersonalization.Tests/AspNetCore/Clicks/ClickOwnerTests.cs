using System.Security.Cryptography;
using System.Text;
using ServerSidePersonalization.AspNetCore.Clicks;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Tests.AspNetCore.Clicks;

public sealed class ClickOwnerTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private static readonly Dictionary<string, (VisitorIdentity Renderer, VisitorIdentity Clicker, bool Owned)> Clicks = new()
    {
        ["same visitor"] = (new(null, "visitor-a"), new(null, "visitor-a"), true),
        ["another visitor"] = (new(null, "visitor-a"), new(null, "visitor-b"), false),
        ["no ids when clicking"] = (new(null, "visitor-a"), VisitorIdentity.Anonymous, false),
        ["signed in since"] = (new(null, "visitor-a"), new("customer-a", "visitor-a"), true),
        ["same customer, other device"] = (new("customer-a", "visitor-a"), new("customer-a", "visitor-b"), true),
        ["other customer, other device"] = (new("customer-a", "visitor-a"), new("customer-b", "visitor-b"), false),
        ["signed out since"] = (new("customer-a", "visitor-a"), new(null, "visitor-a"), true),
        ["customer id equal to the owner's visitor id"] = (new(null, "shared-id"), new("shared-id", "visitor-b"), true),
        ["owner's visitor id found under another source"] = (new(null, "visitor-a"), Found("device-x", ("ssp_vid", "visitor-a"), ("_dyid", "device-x")), true),
        ["other ids found, none the owner's"] = (new(null, "visitor-a"), Found("device-x", ("ssp_vid", "visitor-b"), ("_dyid", "device-x")), false),
        ["link without an owner"] = (VisitorIdentity.Anonymous, new(null, "visitor-b"), true),
        ["link without an owner, clicker without ids"] = (VisitorIdentity.Anonymous, VisitorIdentity.Anonymous, true),
    };

    public static TheoryData<string> ClickCases => [.. Clicks.Keys];

    [Fact]
    public void Of_NoIds_Null() => Assert.Null(ClickOwner.Of(VisitorIdentity.Anonymous));

    [Fact]
    public void Of_VisitorOnly_OneHashOfTheVisitorId() =>
        Assert.Equal(Hash("visitor-a"), Hashes(ClickOwner.Of(new VisitorIdentity(null, "visitor-a"))!));

    [Fact]
    public void Of_SignedIn_TheVisitorThenTheCustomerHash() =>
        Assert.Equal([.. Hash("visitor-a"), .. Hash("customer-a")], Hashes(ClickOwner.Of(new VisitorIdentity("customer-a", "visitor-a"))!));

    [Fact]
    public void Of_CustomerWithoutVisitorId_OneHashOfTheCustomerId() =>
        Assert.Equal(Hash("customer-a"), Hashes(ClickOwner.Of(new VisitorIdentity("customer-a", null))!));

    [Fact]
    public void Of_SameVisitorAndCustomerId_OneHash() =>
        Assert.Equal(1, ClickOwner.Of(new VisitorIdentity("same", "same"))!.Count);

    [Fact]
    public void Hash_Is16BytesOfHmacSha256UnderTheKey_NotAPlainOrPubliclySaltedHash()
    {
        var hash = Hash("visitor-a");

        Assert.Equal(HMACSHA256.HashData(Key, "visitor-a"u8)[..16], hash);
        Assert.NotEqual(SHA256.HashData("visitor-a"u8)[..16], hash);
        Assert.NotEqual(Hash("visitor-b"), hash);
        var otherKey = new byte[32];
        var other = new byte[16];
        ClickOwner.Hash(otherKey, "visitor-a", other);
        Assert.NotEqual(other, hash);
    }

    [Fact]
    public void Hash_LongId_HashesItWhole()
    {
        var id = new string('x', 300) + "\u00e9";

        Assert.Equal(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(id))[..16], Hash(id));
    }

    [Theory]
    [MemberData(nameof(ClickCases))]
    public void IsOwnedBy_MatchesAnyIdOfTheRenderTimeUser(string name)
    {
        var (renderer, clicker, owned) = Clicks[name];
        var rendered = ClickOwner.Of(renderer);
        var opened = rendered is null ? null : ClickOwner.FromHashes(Hashes(rendered), Key);

        Assert.Equal(owned, ClickOwner.IsOwnedBy(rendered, clicker));
        Assert.Equal(owned, ClickOwner.IsOwnedBy(opened, clicker));
    }

    [Fact]
    public void IsOwnedBy_HashesMadeWithAnotherKey_False()
    {
        var hashes = Hashes(ClickOwner.Of(new VisitorIdentity(null, "visitor-a"))!);

        Assert.False(ClickOwner.IsOwnedBy(ClickOwner.FromHashes(hashes, new byte[32]), new VisitorIdentity(null, "visitor-a")));
    }

    [Fact]
    public void IsOwnedBy_RawIdInsteadOfItsHash_False() =>
        Assert.False(ClickOwner.IsOwnedBy(ClickOwner.FromHashes("visitor-a-padded"u8.ToArray(), Key), new VisitorIdentity(null, "visitor-a-padded")));

    private static byte[] Hash(string id)
    {
        var hash = new byte[ClickOwner.HashBytes];
        ClickOwner.Hash(Key, id, hash);
        return hash;
    }

    private static byte[] Hashes(ClickOwner owner)
    {
        var hashes = new byte[owner.Count * ClickOwner.HashBytes];
        owner.WriteHashes(Key, hashes);
        return hashes;
    }

    private static VisitorIdentity Found(string visitorId, params (string Origin, string Id)[] ids) =>
        new(null, visitorId, identifiers: ids.ToDictionary(i => i.Origin, i => i.Id));
}
