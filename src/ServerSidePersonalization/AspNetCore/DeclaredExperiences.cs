using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>
/// The keys to fetch early for an endpoint: those it declares plus, for pages (MVC actions, Razor Pages and endpoints
/// that declare any), the site-wide list. Computed once per endpoint.
/// </summary>
internal sealed class DeclaredExperiences(IOptions<PersonalizationOptions> options)
{
    private readonly string[] _siteWide = [.. options.Value.Experiences.Distinct(StringComparer.Ordinal)];
    private readonly ConditionalWeakTable<Endpoint, string[]> _byEndpoint = [];

    public IReadOnlyList<string> SiteWide => _siteWide;

    public IReadOnlyList<string> For(Endpoint? endpoint) =>
        endpoint is null ? [] : _byEndpoint.GetValue(endpoint, Compute);

    private string[] Compute(Endpoint endpoint)
    {
        var declared = endpoint.Metadata.GetOrderedMetadata<IExperiencesMetadata>();
        var isPage = declared.Count > 0 || endpoint.Metadata.GetMetadata<ActionDescriptor>() is not null;
        if (!isPage)
        {
            return [];
        }

        return [.. _siteWide.Concat(declared.SelectMany(m => m.Keys)).Distinct(StringComparer.Ordinal)];
    }
}
