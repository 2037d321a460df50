using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.Vendors.Local;

/// <summary>The DataAnnotations ranges on <see cref="LocalTrackingOptions"/>, checked without reflection.</summary>
[OptionsValidator]
internal sealed partial class LocalTrackingOptionsValidator : IValidateOptions<LocalTrackingOptions>;
