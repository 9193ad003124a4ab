using Microsoft.Extensions.Options;

namespace Hfpl.Losses;

/// <summary>Validates <see cref="FeatureSimilarityOptions"/>, reporting every bad value at once.</summary>
public sealed class FeatureSimilarityOptionsValidator : IValidateOptions<FeatureSimilarityOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FeatureSimilarityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
