package openreview

// suppKey is the content field of a submission's supplementary material.
const suppKey = "supplementary_material"
