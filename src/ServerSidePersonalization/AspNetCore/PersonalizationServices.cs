using Microsoft.Extensions.Logging;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>The singletons every request's feature needs, gathered once.</summary>
internal sealed class PersonalizationServices(
    IdentityResolver identity,
    RequestAttributeResolver attributes,
    IExperienceSource source,
    SelectedProvider provider,
    DeclaredExperiences declared,
    TimeProvider time,
    ILogger<PersonalizationFeature> logger)
{
    public IdentityResolver Identity => identity;

    public RequestAttributeResolver Attributes => attributes;

    public IExperienceSource Source => source;

    public SelectedProvider Provider => provider;

    public DeclaredExperiences Declared => declared;

    public TimeProvider Time => time;

    public ILogger Logger => logger;

    /// <summary>Budget overruns come in floods when a vendor hangs; one line per 10 seconds says enough.</summary>
    public LogThrottle BudgetExceededLog { get; } = new(time, TimeSpan.FromSeconds(10));
}
