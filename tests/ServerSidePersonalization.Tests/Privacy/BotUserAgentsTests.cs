using Microsoft.Extensions.Options;
using ServerSidePersonalization.Privacy;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Privacy;

public sealed class BotUserAgentsTests
{
    [Fact]
    public void BuiltIn_HoldsAtLeastEightyDistinctMarkers()
    {
        var markers = new BotUserAgents(Options.Create(new PersonalizationOptions())).Markers;

        Assert.True(markers.Count >= 80, $"{markers.Count} markers");
        Assert.Equal(markers.Count, markers.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.DoesNotContain(markers, m => m.StartsWith('#') || string.IsNullOrWhiteSpace(m));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)")]
    [InlineData("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)")]
    [InlineData("DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)")]
    [InlineData("Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)")]
    [InlineData("WhatsApp/2.23.20.0")]
    [InlineData("TelegramBot (like TwitterBot)")]
    [InlineData("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)")]
    [InlineData("CCBot/2.0 (https://commoncrawl.org/faq/)")]
    [InlineData("Go-http-client/2.0")]
    [InlineData("okhttp/4.12.0")]
    [InlineData("Java/17.0.2")]
    [InlineData("Wget/1.21.4")]
    [InlineData("Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 PTST/240201.144627")]
    [InlineData("Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)")]
    [InlineData("Site24x7")]
    [InlineData("NewRelicPinger/1.0 (1234567)")]
    [InlineData("Datadog/Synthetics")]
    [InlineData("Mozilla/5.0 (compatible; StatusCake)")]
    [InlineData("CURL/7.88.1")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void IsBot_KnownMarkerAnyCaseOrNoUserAgent_True(string? userAgent) =>
        Assert.True(new BotUserAgents(Options.Create(new PersonalizationOptions())).IsBot(userAgent));

    [Theory]
    [InlineData(TestApp.BrowserUserAgent)]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36")]
    [InlineData("Mozilla/5.0 (Linux; Android 13; CUBOT KINGKONG 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36")]
    public void IsBot_OrdinaryBrowser_False(string userAgent) =>
        Assert.False(new BotUserAgents(Options.Create(new PersonalizationOptions())).IsBot(userAgent));

    [Fact]
    public void IsBot_ConfiguredMarkers_AddedAndRemovedCaseInsensitively()
    {
        var options = new PersonalizationOptions();
        options.Privacy.BotUserAgents.Add("AcmeMonitor");
        options.Privacy.AllowedUserAgents.Add("headlesschrome");
        var bots = new BotUserAgents(Options.Create(options));

        Assert.True(bots.IsBot("acmemonitor/3.1"));
        Assert.False(bots.IsBot("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36"));
        Assert.True(bots.IsBot("curl/8.5.0"));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData(" ")]
    public async Task Start_BotMarkerTooShort_FailsNamingTheKey(string marker)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Personalization:Privacy:BotUserAgents:0"] = marker,
        }));

        Assert.Contains("Personalization:Privacy:BotUserAgents", error.Message, StringComparison.Ordinal);
    }
}
