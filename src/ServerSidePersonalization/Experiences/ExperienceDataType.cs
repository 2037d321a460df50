using System.Diagnostics.CodeAnalysis;

namespace ServerSidePersonalization.Experiences;

/// <summary>The declared type of a payload field, as the vendor sends it in <c>data_type</c>.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are the vendor's data_type values.")]
public enum ExperienceDataType
{
    /// <summary>Text.</summary>
    String,

    /// <summary>A whole number.</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A JSON object or array.</summary>
    Json,

    /// <summary>A number with a fraction.</summary>
    Float,
}
