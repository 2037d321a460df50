using System.Security.Cryptography;
using System.Text;
using ServerSidePersonalization.AspNetCore.Clicks;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Tests.AspNetCore.Clicks;

public sealed class ClickOwnerTests
{
    [Fact]
    public void Of_NoIds_Null() => Assert.Null(ClickOwner.Of(VisitorIdentity.Anonymous));

    [Fact]
    public void Of_VisitorOnly_OneHashOfTheVisitorId()
    {
        var owner = ClickOwner.Of(new VisitorIdentity(null, "visitor-a"));

        Assert.Equal([ClickOwner.Hash("visitor-a")], owner);
    }

    [Fact]
    public void Of_SignedIn_TheVisitorThenTheCustomerHash()
    {
        var owner = ClickOwner.Of(new VisitorIdentity("customer-a", "visitor-a"));

        Assert.Equal([ClickOwner.Hash("visitor-a"), ClickOwner.Hash("customer-a")], owner);
    }

    [Fact]
    public void Of_CustomerWithoutVisitorId_OneHashOfTheCustomerId() =>
        Assert.Equal([ClickOwner.Hash("customer-a")], ClickOwner.Of(new VisitorIdentity("customer-a", null)));

    [Fact]
    public void Hash_Is32LowerHexCharacters_SaltedNotThePlainSha256()
    {
        var hash = ClickOwner.Hash("visitor-a");

        Assert.Matches("^[0-9a-f]{32}$", hash);
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("visitor-a")))[..32], hash);
        Assert.Equal(hash, ClickOwner.Hash("visitor-a"));
        Assert.NotEqual(hash, ClickOwner.Hash("visitor-b"));
    }

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

    [Theory]
    [MemberData(nameof(ClickCases))]
    public void IsOwnedBy_MatchesAnyIdOfTheRenderTimeUser(string name)
    {
        var (renderer, clicker, owned) = Clicks[name];

        Assert.Equal(owned, ClickOwner.IsOwnedBy(ClickOwner.Of(renderer), clicker));
    }

    [Fact]
    public void IsOwnedBy_EmptyOwner_AnyoneMayClick() => Assert.True(ClickOwner.IsOwnedBy([], new VisitorIdentity(null, "visitor-b")));

    [Fact]
    public void IsOwnedBy_RawIdInsteadOfItsHash_False() =>
        Assert.False(ClickOwner.IsOwnedBy(["visitor-a"], new VisitorIdentity(null, "visitor-a")));

    private static VisitorIdentity Found(string visitorId, params (string Origin, string Id)[] ids) =>
        new(null, visitorId, identifiers: ids.ToDictionary(i => i.Origin, i => i.Id));
}
