using Microsoft.Playwright;

namespace ServerSidePersonalization.BrowserTests;

/// <summary>
/// One visitor's browser: a fresh context with a person's User-Agent, every console error and page error it reports,
/// every response it received, and numbered screenshots under the test output (<c>screenshots/&lt;test&gt;/</c>).
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    // Headless Chromium says "HeadlessChrome", which the library treats as a bot (fallback content, no cookie); these
    // tests are about a person's browser, so it says what the headed browser would.
    public const string PersonUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private readonly IBrowserContext _context;
    private readonly string _screenshots;
    private int _step;

    private BrowserSession(IBrowserContext context, IPage page, string test)
    {
        _context = context;
        Page = page;
        _screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots", test);
        Directory.CreateDirectory(_screenshots);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => Errors.Add($"page: {error}");
        page.Response += (_, response) => Responses.Add((new Uri(response.Url), response.Status));
    }

    public IPage Page { get; }

    public IBrowserContext Context => _context;

    /// <summary>Console errors and uncaught script errors, in order.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Every response the page received (documents, redirects, assets), in order.</summary>
    public List<(Uri Url, int Status)> Responses { get; } = [];

    public static async Task<BrowserSession> StartAsync(IBrowser browser, string test, bool javaScript = true)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { UserAgent = PersonUserAgent, JavaScriptEnabled = javaScript });
        return new BrowserSession(context, await context.NewPageAsync(), test);
    }

    /// <summary>A full-page screenshot of the current page, numbered in the order taken.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(_screenshots, $"{++_step:00}-{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
