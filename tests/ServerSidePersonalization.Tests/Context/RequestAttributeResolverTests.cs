using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Context;

/// <summary>
/// The in-session attributes end to end: a real app on the test server with an endpoint that returns
/// <c>GetPersonalization().Attributes</c>.
/// </summary>
public sealed class RequestAttributeResolverTests
{
    // 2026-11-15 is a Sunday.
    private static readonly DateTimeOffset SundayLastMinuteUtc = new(2026, 11, 15, 23, 59, 0, TimeSpan.Zero);

    public static TheoryData<string> IncludeSwitches => ["IncludeDayOfWeek", "IncludeTimeOfDay", "IncludeIpAddress", "IncludeUserAgent"];

    [Fact]
    public async Task Resolve_FixedUtcInstant_DayAndHourFromTimeProvider()
    {
        await using var app = await StartAsync(time: new FakeTimeProvider(SundayLastMinuteUtc));

        var attributes = await GetAttributesAsync(app);

        Assert.Equal(DayOfWeek.Sunday, attributes.DayOfWeek);
        Assert.Equal(23, attributes.HourOfDay);
        Assert.Equal(SundayLastMinuteUtc, attributes.Timestamp);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-5)]
    public async Task Resolve_ClockWithOffset_DayAndHourInUtc(int offsetHours)
    {
        // The same instant as Sunday 23:59 UTC, written in another time zone (Monday 04:59 or Sunday 18:59 there).
        var instant = SundayLastMinuteUtc.ToOffset(TimeSpan.FromHours(offsetHours));
        await using var app = await StartAsync(time: new FakeTimeProvider(instant));

        var attributes = await GetAttributesAsync(app);

        Assert.Equal(DayOfWeek.Sunday, attributes.DayOfWeek);
        Assert.Equal(23, attributes.HourOfDay);
        Assert.Equal(SundayLastMinuteUtc, attributes.Timestamp);
        Assert.Equal(TimeSpan.Zero, attributes.Timestamp.Offset);
    }

    [Fact]
    public async Task Resolve_ClockMovesPastMidnight_NextRequestSeesNewDayAndHour()
    {
        var time = new FakeTimeProvider(SundayLastMinuteUtc);
        await using var app = await StartAsync(time: time);
        await GetAttributesAsync(app);

        time.Advance(TimeSpan.FromMinutes(1));
        var attributes = await GetAttributesAsync(app);

        Assert.Equal(DayOfWeek.Monday, attributes.DayOfWeek);
        Assert.Equal(0, attributes.HourOfDay);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8::7", "2001:db8::7")]
    public async Task Resolve_RemoteIpAddress_IsReported(string remote, string expected)
    {
        await using var app = await StartAsync();

        var attributes = await SendRawAsync(app, c => c.Connection.RemoteIpAddress = IPAddress.Parse(remote));

        Assert.Equal(expected, attributes.IpAddress);
    }

    [Fact]
    public async Task Resolve_NoRemoteIpAddress_IpAddressNull()
    {
        await using var app = await StartAsync();

        var attributes = await SendRawAsync(app, c => c.Connection.RemoteIpAddress = null);

        Assert.Null(attributes.IpAddress);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.10.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    public async Task Resolve_ForwardedForFromPrivateAddressNotApplied_WarnsOnceOverTwoRequests(string remote)
    {
        await using var app = await StartAsync();

        for (var i = 0; i < 2; i++)
        {
            await SendRawAsync(app, c =>
            {
                c.Connection.RemoteIpAddress = IPAddress.Parse(remote);
                c.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
            });
        }

        var warning = Assert.Single(app.Logs.Named("ForwardedForNotApplied"));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("KnownIPNetworks", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("203.0.113.7", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.7", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("11.0.0.1", true)]
    [InlineData("169.255.0.1", true)]
    [InlineData("::ffff:203.0.113.7", true)]
    [InlineData("2001:db8::7", true)]
    [InlineData("fe00::1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("::1", false)]
    public async Task Resolve_PublicAddressOrNoForwardedFor_NoWarning(string remote, bool forwardedFor)
    {
        await using var app = await StartAsync();

        var attributes = await SendRawAsync(app, c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            if (forwardedFor)
            {
                c.Request.Headers["X-Forwarded-For"] = "198.51.100.1";
            }
        });

        Assert.NotNull(attributes.IpAddress);
        Assert.Empty(app.Logs.Named("ForwardedForNotApplied"));
    }

    [Fact]
    public async Task Resolve_UserAgentHeader_IsReported()
    {
        await using var app = await StartAsync();

        var attributes = await GetAttributesAsync(app, configure: r => r.Headers.TryAddWithoutValidation("User-Agent", "TestBrowser/1.0 (X11; Linux)"));

        Assert.Equal("TestBrowser/1.0 (X11; Linux)", attributes.UserAgent);
    }

    [Fact]
    public async Task Resolve_NoUserAgentHeader_UserAgentNull()
    {
        await using var app = await StartAsync();

        var attributes = await SendRawAsync(app, c => c.Request.Headers.Remove("User-Agent"));

        Assert.Null(attributes.UserAgent);
    }

    [Fact]
    public async Task Resolve_CustomAttributesFromEachSource_AllReported()
    {
        await using var app = await StartAsync(
            Settings(
                ("Personalization:Context:Attributes:utm_source", "query:utm_source"),
                ("Personalization:Context:Attributes:segment", "header:X-Segment"),
                ("Personalization:Context:Attributes:region", "cookie:region"),
                ("Personalization:Context:Attributes:tier", "claim:tier"),
                ("Personalization:Context:Attributes:section", "route:section")),
            beforePersonalization: a => a.UseTestUser());

        var attributes = await GetAttributesAsync(app, "/attributes/shoes?utm_source=newsletter", r =>
        {
            r.Headers.Add("X-Segment", "gold");
            r.Headers.Add("Cookie", "region=eu-west");
            r.Headers.Add(TestUser.HeaderPrefix + "tier", "platinum");
        });

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["utm_source"] = "newsletter",
                ["segment"] = "gold",
                ["region"] = "eu-west",
                ["tier"] = "platinum",
                ["section"] = "shoes",
            },
            attributes.Custom);
    }

    [Fact]
    public async Task Resolve_CustomAttributesMissingOnRequest_Absent()
    {
        await using var app = await StartAsync(Settings(
            ("Personalization:Context:Attributes:utm_source", "query:utm_source"),
            ("Personalization:Context:Attributes:segment", "header:X-Segment"),
            ("Personalization:Context:Attributes:region", "cookie:region"),
            ("Personalization:Context:Attributes:tier", "claim:tier"),
            ("Personalization:Context:Attributes:section", "route:section")));

        var attributes = await GetAttributesAsync(app, "/attributes?other=1", r => r.Headers.Add("Cookie", "other=1"));

        Assert.Empty(attributes.Custom);
    }

    [Fact]
    public async Task Resolve_ClaimAttributeForAnonymousVisitor_Absent()
    {
        await using var app = await StartAsync(Settings(("Personalization:Context:Attributes:tier", "claim:tier")));

        // Without the test user middleware the claim header signs nobody in.
        var attributes = await GetAttributesAsync(app, configure: r => r.Headers.Add(TestUser.HeaderPrefix + "tier", "platinum"));

        Assert.DoesNotContain("tier", attributes.Custom.Keys);
    }

    [Fact]
    public async Task Resolve_ValueWithControlCharacters_ControlCharactersStripped()
    {
        await using var app = await StartAsync(Settings(("Personalization:Context:Attributes:segment", "header:X-Segment")));

        var attributes = await SendRawAsync(app, c => c.Request.Headers["X-Segment"] = "\tgold\u0007 \u0000tier\r\n");

        Assert.Equal("gold tier", attributes.Custom["segment"]);
    }

    [Fact]
    public async Task Resolve_ValueWithC1ControlCharacter_ControlCharacterStripped()
    {
        await using var app = await StartAsync(Settings(("Personalization:Context:Attributes:utm_source", "query:utm_source")));

        // %C2%85 is U+0085 (NEXT LINE), a control character outside ASCII.
        var attributes = await GetAttributesAsync(app, "/attributes?utm_source=news%C2%85letter");

        Assert.Equal("newsletter", attributes.Custom["utm_source"]);
    }

    [Fact]
    public async Task Resolve_UserAgentWithControlCharacters_ControlCharactersStripped()
    {
        await using var app = await StartAsync();

        var attributes = await SendRawAsync(app, c => c.Request.Headers.UserAgent = "Test\r\nBrowser\u001b/1.0");

        Assert.Equal("TestBrowser/1.0", attributes.UserAgent);
    }

    [Theory]
    [InlineData("\u0001\u0002\u007f")]
    [InlineData("   ")]
    [InlineData("\r\n \t")]
    public async Task Resolve_ValueOfOnlyControlsOrWhitespace_Absent(string value)
    {
        await using var app = await StartAsync(Settings(("Personalization:Context:Attributes:segment", "header:X-Segment")));

        var attributes = await SendRawAsync(app, c => c.Request.Headers["X-Segment"] = value);

        Assert.DoesNotContain("segment", attributes.Custom.Keys);
    }

    [Fact]
    public async Task Resolve_ValueOverDefaultMaxLength_CutTo256()
    {
        var value = string.Concat(Enumerable.Repeat("0123456789", 30));
        await using var app = await StartAsync(Settings(("Personalization:Context:Attributes:segment", "header:X-Segment")));

        var attributes = await GetAttributesAsync(app, configure: r =>
        {
            r.Headers.Add("X-Segment", value);
            r.Headers.TryAddWithoutValidation("User-Agent", value);
        });

        Assert.Equal(value[..256], attributes.Custom["segment"]);
        Assert.Equal(value[..256], attributes.UserAgent);
    }

    [Fact]
    public async Task Resolve_ValueAtDefaultMaxLength_Kept()
    {
        var value = new string('x', 256);
        await using var app = await StartAsync(Settings(("Personalization:Context:Attributes:segment", "header:X-Segment")));

        var attributes = await GetAttributesAsync(app, configure: r => r.Headers.Add("X-Segment", value));

        Assert.Equal(value, attributes.Custom["segment"]);
    }

    [Fact]
    public async Task Resolve_ValueOverConfiguredMaxLength_CutToConfiguredLength()
    {
        const string value = "abcdefghijklmnopqrstuvwxyz";
        await using var app = await StartAsync(Settings(
            ("Personalization:Context:Attributes:utm_source", "query:utm_source"),
            ("Personalization:Context:MaxValueLength", "20")));

        var attributes = await GetAttributesAsync(app, $"/attributes?utm_source={value}");

        Assert.Equal(value[..20], attributes.Custom["utm_source"]);
    }

    [Fact]
    public async Task Resolve_CutFallsInsideSurrogatePair_WholeCharacterDropped()
    {
        // 255 letters then U+1F600 (two UTF-16 units): a cut at 256 would leave half a character.
        var letters = new string('a', 255);
        await using var app = await StartAsync(Settings(("Personalization:Context:Attributes:utm_source", "query:utm_source")));

        var attributes = await GetAttributesAsync(app, $"/attributes?utm_source={letters}%F0%9F%98%80");

        Assert.Equal(letters, attributes.Custom["utm_source"]);
    }

    [Theory]
    [MemberData(nameof(IncludeSwitches))]
    public async Task Resolve_IncludeSwitchOff_OnlyThatFieldOmitted(string includeSwitch)
    {
        await using var app = await StartAsync(Settings(($"Personalization:Context:{includeSwitch}", "false")), time: new FakeTimeProvider(SundayLastMinuteUtc));

        var attributes = await SendRawAsync(app, c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
            c.Request.Headers.UserAgent = "TestBrowser/1.0";
        });

        Assert.Equal(includeSwitch == "IncludeDayOfWeek" ? null : (DayOfWeek?)DayOfWeek.Sunday, attributes.DayOfWeek);
        Assert.Equal(includeSwitch == "IncludeTimeOfDay" ? null : (int?)23, attributes.HourOfDay);
        Assert.Equal(includeSwitch == "IncludeIpAddress" ? null : "203.0.113.7", attributes.IpAddress);
        Assert.Equal(includeSwitch == "IncludeUserAgent" ? null : "TestBrowser/1.0", attributes.UserAgent);
        Assert.Equal(SundayLastMinuteUtc, attributes.Timestamp);
    }

    [Theory]
    [InlineData("x", "nonsense")]
    [InlineData("x", "query:")]
    [InlineData("x", ":utm_source")]
    [InlineData("x", "body:utm_source")]
    public async Task StartAsync_InvalidAttributeSpec_FailsNamingTheKey(string attribute, string spec)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartAsync(Settings(($"Personalization:Context:Attributes:{attribute}", spec))));

        Assert.Contains($"Personalization:Context:Attributes:{attribute}", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("USER_AGENT")]
    [InlineData("user_agent")]
    [InlineData("USER_IP_ADDRESS")]
    [InlineData("DAY_OF_THE_WEEK")]
    [InlineData("TIME_OF_THE_DAY")]
    [InlineData("customer_id")]
    [InlineData("visitor_id")]
    [InlineData("experience_key")]
    public async Task StartAsync_MoEngageStandardAttributeName_FailsNamingTheKey(string attribute)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(Settings(
            ($"Personalization:Context:Attributes:{attribute}", "header:X-Anything"),
            ("Personalization:Provider", "MoEngage"),
            ("Personalization:MoEngage:DataCenter", "01"),
            ("Personalization:MoEngage:WorkspaceId", "WS"),
            ("Personalization:MoEngage:ApiKey", "key"))));

        Assert.Contains($"Personalization:Context:Attributes:{attribute}", failure.Message, StringComparison.Ordinal);
    }

    private static Task<TestApp> StartAsync(
        Dictionary<string, string?>? settings = null,
        Action<WebApplication>? beforePersonalization = null,
        TimeProvider? time = null) =>
        TestApp.StartAsync(settings, beforePersonalization: beforePersonalization, endpoints: MapAttributes, time: time);

    private static void MapAttributes(WebApplication app)
    {
        app.MapGet("/attributes", Attributes);
        app.MapGet("/attributes/{section}", Attributes);

        static IResult Attributes(HttpContext context)
        {
            var attributes = context.GetPersonalization().Attributes;
            return Results.Json(new AttributesDto(
                attributes.Timestamp,
                attributes.DayOfWeek,
                attributes.HourOfDay,
                attributes.IpAddress,
                attributes.UserAgent,
                attributes.Custom.ToDictionary()));
        }
    }

    private static async Task<AttributesDto> GetAttributesAsync(TestApp app, string path = "/attributes", Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        using var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AttributesDto>())!;
    }

    private static async Task<AttributesDto> SendRawAsync(TestApp app, Action<HttpContext> configure)
    {
        var context = await app.SendRawAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = "/attributes";
            configure(c);
        });
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        return (await JsonSerializer.DeserializeAsync<AttributesDto>(context.Response.Body, JsonSerializerOptions.Web))!;
    }

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] settings) =>
        settings.ToDictionary(s => s.Key, s => (string?)s.Value, StringComparer.OrdinalIgnoreCase);

    private sealed record AttributesDto(
        DateTimeOffset Timestamp,
        DayOfWeek? DayOfWeek,
        int? HourOfDay,
        string? IpAddress,
        string? UserAgent,
        Dictionary<string, string> Custom);
}
