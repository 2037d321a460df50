using Microsoft.AspNetCore.Http;

namespace ServerSidePersonalization.Identity;

/// <summary>One place ids can come from; asked in the configured order.</summary>
internal interface IIdentitySource
{
    /// <summary>The name used in <see cref="VisitorIdentityOptions.Order"/>.</summary>
    string Name { get; }

    /// <summary>Offers whatever ids this source finds on the request.</summary>
    void Read(HttpContext context, IdentityCollector collector);
}
