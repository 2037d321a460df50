using Microsoft.AspNetCore.Http;
using ServerSidePersonalization.Experiences;

namespace ServerSidePersonalization.FeatureManagement;

/// <summary>
/// The experiences a request resolved as features, by feature name, so a <c>&lt;feature&gt;</c> block that renders can
/// record the one it showed without asking the provider about names that are configured features.
/// </summary>
internal static class ExperienceFeatures
{
    private static readonly object ItemKey = new();

    public static void Add(HttpContext context, string name, Experience experience)
    {
        if (context.Items[ItemKey] is not Dictionary<string, Experience> resolved)
        {
            context.Items[ItemKey] = resolved = new Dictionary<string, Experience>(StringComparer.Ordinal);
        }

        lock (resolved)
        {
            resolved[name] = experience;
        }
    }

    public static Experience? Find(HttpContext context, string name)
    {
        if (context.Items[ItemKey] is not Dictionary<string, Experience> resolved)
        {
            return null;
        }

        lock (resolved)
        {
            return resolved.GetValueOrDefault(name);
        }
    }
}
