namespace ServerSidePersonalization.Benchmarks.Comparison;

/// <summary>One page the comparison measures, the variant whose requests/s it is divided by, and what it is.</summary>
internal sealed record Variant(string Name, string Baseline, string What)
{
    /// <summary>Every variant, in the order one round measures them: each baseline shortly before what it is compared with.</summary>
    public static IReadOnlyList<Variant> All { get; } =
    [
        new("baseline", "baseline", "the static Razor page, no personalization middleware"),
        new("l1", "baseline", "one experience through <experience>/<experience-value>, warm L1, tracking on (Local)"),
        new("l1-click", "baseline", "l1 with a tracked link (<a experience-click>)"),
        new("baseline-wide", "baseline-wide", "the static twin of l1-wide"),
        new("l1-wide", "baseline-wide", "10 experiences and 10 tracked links on one page"),
        new("l2", "baseline", "the l1 page with L1 off: every request an L1 miss, warm L2 on a local redis-server"),
        new("api-baseline", "api-baseline", "a minimal-API endpoint answering static JSON"),
        new("api", "api-baseline", "the same endpoint reading one experience (warm L1)"),
        new("naive", "baseline", "the page asking a stub vendor (20 ms) with HttpClient on every request"),
        new("featuremanagement", "baseline", "Microsoft.FeatureManagement.AspNetCore 4.7.0: variant feature, <feature variant>"),
        new("vendor", "baseline", "the l1 page on MoEngage (loopback stub), warm L1, tracking on to the stub's events API"),
        new("vendor-untracked", "baseline", "vendor with tracking off"),
    ];
}
