using Microsoft.Extensions.Options;

namespace ServerSidePersonalization.AspNetCore;

/// <summary>The DataAnnotations ranges on the options classes, checked without reflection.</summary>
[OptionsValidator]
internal sealed partial class PersonalizationOptionsDataValidator : IValidateOptions<PersonalizationOptions>;
