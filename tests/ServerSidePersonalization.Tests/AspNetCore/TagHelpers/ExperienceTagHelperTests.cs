using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.AspNetCore.TagHelpers;

/// <summary>
/// The tag helpers rendering real .cshtml pages (tests/.../Pages/Tags) through the test server, on the Local provider.
/// </summary>
public sealed class ExperienceTagHelperTests : IDisposable
{
    private readonly ExperienceFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Experience_Present_RendersContentWithoutWrapperOrFallback()
    {
        await using var app = await StartAsync(("hero", new { Title = "Hello from the file", CtaUrl = "/landing" }));

        var page = await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Contains("<h1>Hello from the file</h1>", page, StringComparison.Ordinal);
        Assert.Contains("<a id=\"cta\" href=\"/landing\">go</a>", page, StringComparison.Ordinal);
        Assert.Contains("<p id=\"standalone-value\">Hello from the file</p>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Fallback hero", page, StringComparison.Ordinal);
        Assert.DoesNotContain("standalone-fallback", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<experience", page, StringComparison.Ordinal);
        Assert.DoesNotContain("experience-href", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Experience_Absent_RendersOnlyTheFallbacks()
    {
        await using var app = await StartAsync(("other", new { Title = "Not the hero" }));

        var page = await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Contains("<h1>Fallback hero</h1>", page, StringComparison.Ordinal);
        Assert.Contains("<p id=\"standalone-fallback\">no hero</p>", page, StringComparison.Ordinal);
        Assert.Contains("<p id=\"standalone-value\"></p>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"cta\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<experience", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExperienceValue_HostileValue_IsHtmlEncoded()
    {
        const string hostile = "<script>alert(\"x\")</script>&<img src=x onerror=alert(1)>";
        await using var app = await StartAsync(("hero", new { Title = hostile, CtaUrl = "/search?q=\"><script>alert(1)</script>" }));

        var page = await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.DoesNotContain("<script>", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&lt;img src=x onerror=alert(1)&gt;</h1>", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/search?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example")]
    [InlineData("/x\" onmouseover=\"alert(1)")]
    public async Task ExperienceHref_UnsafeUrl_KeepsTheLinksOwnHref(string url)
    {
        await using var app = await StartAsync(("hero", new { Title = "Hi", CtaUrl = url }));

        var page = await app.GetPageAsync("/Tags/Hero", ("ssp_vid", "visitor-1"));

        Assert.Contains("<a id=\"cta\" href=\"/fallback-link\">go</a>", page, StringComparison.Ordinal);
        Assert.Single(app.Logs.Named("UnsafeExperienceUrl"));
    }

    [Fact]
    public async Task RenderedExperiences_FetchedButNotRendered_AreNotMarked_RenderedTwice_MarkedOnce()
    {
        await using var app = await StartAsync(("shown", new { Title = "Shown" }), ("hidden", new { Title = "Hidden" }));

        var page = await app.GetPageAsync("/Tags/Rendered", ("ssp_vid", "visitor-1"));

        Assert.Contains("<p id=\"hidden-fetched\">True</p>", page, StringComparison.Ordinal);
        Assert.Contains("<p id=\"rendered\">shown</p>", page, StringComparison.Ordinal);
    }

    private Task<TestApp> StartAsync(params (string Key, object Payload)[] experiences) =>
        TestApp.StartAsync(new Dictionary<string, string?> { ["Personalization:Local:File"] = _files.WriteSingle(experiences) });
}
