namespace ServerSidePersonalization.Tests.Infrastructure;

/// <summary>Tests that measure latency run alone, so the other tests' CPU use does not distort them.</summary>
[CollectionDefinition(nameof(TimingSensitive), DisableParallelization = true)]
public sealed class TimingSensitive;
