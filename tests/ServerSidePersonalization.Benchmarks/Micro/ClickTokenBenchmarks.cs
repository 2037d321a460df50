using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.AspNetCore.Clicks;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.Benchmarks.Micro;

/// <summary>
/// Minting and verifying one click token for a typical MoEngage attribution (the stub's <c>experience_context</c>), on
/// the app's own Data Protection key ring.
/// </summary>
[MemoryDiagnoser]
public class ClickTokenBenchmarks
{
    private const string MoEngageContext =
        """{"cid":"65eae5738ea5032b0ef60138_F_T_WP_AB_2_P_0_AU_hero","experience":"Experience hero","moe_locale_id":"0","moe_variation_id":"2","audience_name":"All Users","audience_id":"42D","type":"Web Personalization"}""";

    private MicroApp _app = null!;
    private ClickTokens _tokens = null!;
    private ClickToken _token = null!;
    private string _text = null!;

    [GlobalSetup]
    public void Setup()
    {
        _app = MicroApp.Create();
        _tokens = _app.Services.GetRequiredService<ClickTokens>();
        using var context = JsonDocument.Parse(MoEngageContext);
        var attribution = new ExperienceAttribution("MoEngage", context.RootElement.Clone(), "2");
        _token = ClickToken.Create("hero", attribution, "cta", null, "/landing/hero", new VisitorIdentity(null, MicroApp.VisitorId));
        _text = Mint();
        if (!Verify())
        {
            throw new InvalidOperationException("A minted token did not verify.");
        }

        Console.WriteLine($"// token length: {_text.Length} characters");
    }

    [Benchmark]
    public string Mint() => _tokens.Protect(_token);

    [Benchmark]
    public bool Verify() => _tokens.TryUnprotect(_text, out _);

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
