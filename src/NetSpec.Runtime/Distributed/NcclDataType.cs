namespace NetSpec.Runtime.Distributed;

/// <summary>NCCL's element types (ncclDataType_t), the ones a gradient buffer can have.</summary>
public enum NcclDataType
{
    Int32 = 2,
    Float16 = 6,
    Float32 = 7,
    Float64 = 8,
    BFloat16 = 9,
}
