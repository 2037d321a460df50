using ServerSidePersonalization.AspNetCore.Clicks;

namespace ServerSidePersonalization.Tests.AspNetCore.Clicks;

public sealed class ClickTargetTests
{
    private static readonly string[] AllowedHosts = ["shop.example", "allowed.example", "*.example.com"];

    public static TheoryData<string> AllowedTargets =>
    [
        "/",
        "/landing/hero",
        "/a?b=c#d",
        "/search?next=https://evil.example",
        "/search?next=//evil.example",
        "/a:b",
        "/caf%C3%A9",
        "/products/blue%20shirt",
        "/a%2Fb",
        "/%2e%2e/x",
        "/" + new string('a', ClickTarget.MaxLength - 1),
        "https://shop.example/x",
        "https://shop.example",
        "HTTPS://SHOP.EXAMPLE/Sale",
        "http://shop.example/x",
        "https://shop.example:8443/x?y=1#z",
        "https://allowed.example/",
        "https://a.example.com/",
        "https://a.b.example.com/y",
        "https://A.EXAMPLE.COM/y",
        "https://shop.example/%2F%2Fpath",
    ];

    public static TheoryData<string?> RefusedTargets =>
    [
        null,
        "",
        "/" + new string('a', ClickTarget.MaxLength),

        // Other origins, however spelled.
        "//evil.example",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "/x\\y",
        "https://evil.example",
        "https://evilexample.com/",
        "https://example.com/",
        "https://example.com.evil.example/",
        "https://shop.example.evil.example/",
        "https://shop.example./",
        "https://allowed.example@evil.example",
        "https://user:pw@shop.example/",
        "https://shop.example%40evil.example/",
        "https://shop.example%2F@evil.example/",
        "https://shop.example:evil/",
        "https://shop.example:/",
        "https:///evil.example",
        "https:evil.example",
        "https:/shop.example/x",
        "ftp://shop.example/",
        "https://[::1]/",
        "https://shop.example\\@evil.example",

        // Scripts.
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        " javascript:alert(1)",
        "\u0001javascript:alert(1)",
        "data:text/html,x",
        "DATA:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",

        // Whitespace and control characters, which browsers strip or headers split on.
        " /x",
        "/x ",
        "/x y",
        "/\t/evil.example",
        "/\n/evil.example",
        "/x\r\nLocation: https://evil.example",
        "/x\0",
        "/x\u007f",
        "/x\u0085",
        "/x\u00a0",
        "/x\u2028y",

        // Encoded variants.
        "/%2F%2Fevil.example",
        "/%2f%2fevil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "/%5cevil.example",
        "/x%0d%0aSet-Cookie:a=b",
        "/x%0D%0ALocation:%20https://evil.example",
        "/%09/evil.example",
        "/x%00",
        "/%252F%252Fevil.example",
        "/%25252F%25252Fevil.example",
        "/%2525252525252F",
        "https://shop.example/%5C",
        "https://shop.example/%0d%0a",

        // Unicode look-alikes and anything else outside printable ASCII.
        "/\uFF0F\uFF0Fevil.example",
        "/\uFF3Cevil.example",
        "https://shop.\u0435xample/x",
        "https://evil.example\u3002shop.example/",
        "/caf\u00e9",

        // Relative references: the tag helper resolves them before a token is made.
        "products/1",
        "?q=1",
        "#top",
        "mailto:someone@example.com",
    ];

    public static TheoryData<string?, string, string?> Resolutions => new()
    {
        { "/x", "/Tags/Click", "/x" },
        { "  /x\n", "/Tags/Click", "/x" },
        { "relative/page?x=1", "/Tags/Click", "/Tags/relative/page?x=1" },
        { "relative", "/shop/Tags/Click", "/shop/Tags/relative" },
        { "../up", "/a/b/c", "/a/up" },
        { "../../../../up", "/a/b", "/up" },
        { "?q=1", "/a/b", "/a/b?q=1" },
        { "./x#part", "/a/", "/a/x#part" },
        { "/caf\u00e9?q=\u00e9", "/", "/caf%C3%A9?q=%C3%A9" },
        { "/blue shirt", "/", "/blue%20shirt" },
        { "https://shop.example/x", "/", "https://shop.example/x" },
        { "javascript:alert(1)", "/", "javascript:alert(1)" },
        { "#top", "/a", null },
        { "", "/a", null },
        { "   ", "/a", null },
        { null, "/a", null },
    };

    [Theory]
    [MemberData(nameof(AllowedTargets))]
    public void IsAllowed_LocalPathOrAllowedHost_True(string target) =>
        Assert.True(ClickTarget.IsAllowed(target, AllowedHosts));

    [Theory]
    [MemberData(nameof(RefusedTargets))]
    public void IsAllowed_OtherOriginScriptControlOrEncodedTrick_False(string? target) =>
        Assert.False(ClickTarget.IsAllowed(target, AllowedHosts));

    [Fact]
    public void IsAllowed_NoAllowedHosts_OnlyLocalPaths()
    {
        Assert.True(ClickTarget.IsAllowed("/x", []));
        Assert.False(ClickTarget.IsAllowed("https://shop.example/x", []));
    }

    [Fact]
    public void IsAllowed_WildcardEntry_MatchesSubdomainsNotTheDomainItself()
    {
        string[] hosts = ["*.example.com"];

        Assert.True(ClickTarget.IsAllowed("https://www.example.com/", hosts));
        Assert.True(ClickTarget.IsAllowed("https://deep.sub.example.com/", hosts));
        Assert.False(ClickTarget.IsAllowed("https://example.com/", hosts));
        Assert.False(ClickTarget.IsAllowed("https://notexample.com/", hosts));
        Assert.False(ClickTarget.IsAllowed("https://www.example.com.evil.example/", hosts));
    }

    [Theory]
    [MemberData(nameof(Resolutions))]
    public void Resolve_Href_IsTheTargetTheBrowserWouldRequest(string? href, string currentPath, string? expected) =>
        Assert.Equal(expected, ClickTarget.Resolve(href, currentPath));

    [Fact]
    public void Resolve_BrokenUtf16_Null()
    {
        // Built here, not as theory data: serializing the data would replace the lone surrogate.
        Assert.Null(ClickTarget.Resolve("/x" + '\uD800', "/a"));
        Assert.Null(ClickTarget.Resolve("/x" + '\uDC00' + "y", "/a"));
    }

    [Theory]
    [InlineData(".//evil.example", "/")]
    [InlineData("..//evil.example", "/a")]
    [InlineData("\\\\evil.example", "/a")]
    [InlineData("\\/evil.example", "/a")]
    [InlineData("//evil.example", "/a")]
    [InlineData("java\tscript:alert(1)", "/a")]
    [InlineData("/\t/evil.example", "/a")]
    public void Resolve_HrefLeadingElsewhere_IsRefusedAfterResolution(string href, string currentPath) =>
        Assert.False(ClickTarget.IsAllowed(ClickTarget.Resolve(href, currentPath), AllowedHosts));
}
