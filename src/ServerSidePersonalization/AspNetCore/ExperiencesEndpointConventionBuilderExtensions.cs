using ServerSidePersonalization.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Declares the experiences of minimal-API and other convention-built endpoints.</summary>
public static class ExperiencesEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Declares that the endpoint renders <paramref name="keys"/>: they are fetched in one call as the request arrives.
    /// </summary>
    public static TBuilder WithExperiences<TBuilder>(this TBuilder builder, params string[] keys)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var metadata = new ExperiencesAttribute(keys);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }
}
