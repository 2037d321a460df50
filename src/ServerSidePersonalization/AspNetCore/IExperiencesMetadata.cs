namespace ServerSidePersonalization.AspNetCore;

/// <summary>Endpoint metadata naming the experiences an endpoint renders, so they are fetched as the request arrives.</summary>
public interface IExperiencesMetadata
{
    /// <summary>The experience keys.</summary>
    IReadOnlyList<string> Keys { get; }
}
