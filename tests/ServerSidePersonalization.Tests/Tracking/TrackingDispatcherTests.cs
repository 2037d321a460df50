using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerSidePersonalization.Tests.Infrastructure;

namespace ServerSidePersonalization.Tests.Tracking;

/// <summary>The dispatcher's life cycle as hosts drive it.</summary>
public sealed class TrackingDispatcherTests
{
    [Fact]
    public async Task StopAsync_TwiceAndAfterDispose_DoesNotThrow()
    {
        var app = await TestApp.StartAsync();
        var dispatcher = app.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "TrackingDispatcher");

        await app.App.StopAsync();
        await dispatcher.StopAsync(CancellationToken.None);
        await app.DisposeAsync();

        var error = await Record.ExceptionAsync(() => dispatcher.StopAsync(CancellationToken.None));
        Assert.Null(error);
    }
}
