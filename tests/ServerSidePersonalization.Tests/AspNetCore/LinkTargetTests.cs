using ServerSidePersonalization.AspNetCore;

namespace ServerSidePersonalization.Tests.AspNetCore;

public sealed class LinkTargetTests
{
    public static TheoryData<string> SafeUrls =>
    [
        "/",
        "/products",
        "/products/1",
        "/a?b=c#d",
        "/search?next=javascript:alert(1)",
        "/a:b",
        "products/1",
        "products/a:b",
        "./javascript:alert(1)",
        "../up",
        "?q=1",
        "?next=https://evil.example",
        "#top",
        "https://shop.example/x",
        "https://shop.example",
        "http://x.example",
        "HTTPS://SHOP.EXAMPLE/Sale",
        "https://shop.example:8443/x?y=1#z",
        "https://shop.example/caf%C3%A9",
    ];

    public static TheoryData<string?> UnsafeUrls =>
    [
        null,
        "",
        " ",
        "\t",
        "\r\n",

        // Protocol-relative and backslash tricks browsers read as another host.
        "//evil.example",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil",
        "\\/evil.example",
        "\\evil",

        // Script and other schemes.
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "javascript:alert(1) ",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "javascript://%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:x",
        "mailto:someone@shop.example",
        "tel:+15550100",
        "ftp://x",
        "file:///etc/passwd",
        "c:\\windows",

        // http(s) without a host.
        "https:evil",
        "https:/evil",
        "http:///x",
        "https://",
        "http:",

        // Control characters, DEL and spaces anywhere.
        "/products\r\nSet-Cookie: a=b",
        "/products\r",
        "/products\n",
        "/products\0",
        "\0/products",
        "/products\u007f",
        "https://shop.example/\u007f",
        "/a b",
        "https://shop.example/a b",
        "https://shop.example/\ttab",
        "/\u0001",
    ];

    [Theory]
    [MemberData(nameof(SafeUrls))]
    public void IsSafe_LocalRelativeOrHttpUrl_ReturnsTrue(string url)
    {
        Assert.True(LinkTarget.IsSafe(url));
    }

    [Theory]
    [MemberData(nameof(UnsafeUrls))]
    public void IsSafe_OtherHostSchemeOrControlCharacter_ReturnsFalse(string? url)
    {
        Assert.False(LinkTarget.IsSafe(url));
    }
}
