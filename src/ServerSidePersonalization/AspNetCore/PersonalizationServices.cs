using ServerSidePersonalization.AspNetCore.Previews;
using ServerSidePersonalization.Context;
using ServerSidePersonalization.Diagnostics;
using ServerSidePersonalization.Experiences;
using ServerSidePersonalization.Identity;
using ServerSidePersonalization.Privacy;
using ServerSidePersonalization.Tracking;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>The singletons every request's feature needs, gathered once.</summary>
internal sealed class PersonalizationServices(
    IdentityResolver identity,
    RequestAttributeResolver attributes,
    IExperienceSource source,
    DeclaredExperiences declared,
    TrackingPipeline tracking,
    ReportedFields reportedFields,
    PrivacyPolicy privacy,
    TimeProvider time,
    ExperiencePreviews previews,
    DebugRecording debug)
{
    public PrivacyPolicy Privacy => privacy;

    public IdentityResolver Identity => identity;

    public RequestAttributeResolver Attributes => attributes;

    public IExperienceSource Source => source;

    public DeclaredExperiences Declared => declared;

    public TrackingPipeline Tracking => tracking;

    public ReportedFields ReportedFields => reportedFields;

    public TimeProvider Time => time;

    public ExperiencePreviews Previews => previews;

    public DebugRecording Debug => debug;
}
