using ServerSidePersonalization.Caching;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Tests.Caching;

public sealed class CacheContextTests
{
    private static readonly string Context = CacheContext.Hash("visitor-1", "Local", Request());

    [Fact]
    public void EntryKey_StartsWithTheVersionAndTheContextHashAsHashTag()
    {
        var key = CacheContext.EntryKey("Local", Context, "home-hero");

        Assert.Equal($"ssp:v2:{{{Context}}}:Local:home-hero", key);
        Assert.Matches("^[0-9a-f]{32}$", Context);
        Assert.Equal(Context, HashTag(key));
    }

    [Theory]
    [InlineData("Local", "{evil}")]
    [InlineData("Local", "}{evil}")]
    [InlineData("Local", "a{b}c")]
    [InlineData("{Pro}vider", "home-hero")]
    [InlineData("Pro}vider{", "{")]
    [InlineData("", "")]
    public void EntryKey_BracesInProviderOrExperienceKey_CannotChangeTheHashTag(string provider, string experienceKey)
    {
        var key = CacheContext.EntryKey(provider, Context, experienceKey);

        Assert.Equal(Context, HashTag(key));
    }

    [Fact]
    public void EntryKey_OneContext_OneTagForAllItsKeys_AnotherUser_AnotherTag()
    {
        var other = CacheContext.Hash("visitor-2", "Local", Request());

        Assert.Equal(HashTag(CacheContext.EntryKey("Local", Context, "a")), HashTag(CacheContext.EntryKey("Local", Context, "b")));
        Assert.NotEqual(HashTag(CacheContext.EntryKey("Local", Context, "a")), HashTag(CacheContext.EntryKey("Local", other, "a")));
    }

    [Fact]
    public void EntryKey_HoldsNoRawId()
    {
        var key = CacheContext.EntryKey("Local", CacheContext.Hash("jane@example.com", "Local", Request()), "home-hero");

        Assert.DoesNotContain("jane", key, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// What Redis Cluster hashes for the slot: the text between the first <c>{</c> and the first <c>}</c> after it,
    /// when that is not empty; otherwise the whole key.
    /// </summary>
    private static string HashTag(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        var close = open < 0 ? -1 : key.IndexOf('}', open + 1);
        return close > open + 1 ? key[(open + 1)..close] : key;
    }

    private static ExperienceRequest Request() =>
        new(VisitorIdentity.Anonymous, ["home-hero"], new RequestAttributes(DateTimeOffset.UnixEpoch));
}
