using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerSidePersonalization.AspNetCore;

namespace ServerSidePersonalization.Benchmarks.Micro;

/// <summary>
/// What the middleware does per request for a returning visitor whose one declared experience is in L1: identity from
/// the visitor cookie (no cookie issued), request attributes, the L1 lookup and the HttpContext feature, with a no-op
/// endpoint. The same HttpContext serves every call, so its own cost is not counted.
/// </summary>
[MemoryDiagnoser]
public class RequestPathBenchmarks
{
    private MicroApp _app = null!;
    private PersonalizationMiddleware _middleware = null!;
    private DefaultHttpContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        _app = MicroApp.Create();
        _middleware = new PersonalizationMiddleware(static _ => Task.CompletedTask, _app.Services.GetRequiredService<PersonalizationServices>());
        _context = _app.Request();

        // The first request fetches from the provider and fills L1; every measured one is an L1 hit.
        L1Hit().GetAwaiter().GetResult();
        if (_context.GetPersonalization().GetExperienceAsync("hero").AsTask().GetAwaiter().GetResult() is null
            || _context.Response.Headers.SetCookie.Count != 0)
        {
            throw new InvalidOperationException("The setup request did not find 'hero' or issued a cookie.");
        }
    }

    [Benchmark]
    public Task L1Hit() => _middleware.InvokeAsync(_context);

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
